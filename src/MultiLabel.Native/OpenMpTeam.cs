using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace MultiLabel.Native;

/// <summary>
/// Runs work on libtorch's own OpenMP threads (the team its CPU kernels use), through the libgomp that libtorch loaded.
/// On a machine with as many cores as libtorch has threads, a second pool of .NET threads doing work between libtorch's
/// operations competes with libtorch's threads, which keep spinning for a while after each operation: measured on 2
/// cores, an optimizer step on <c>Parallel.For</c> made the whole training step up to twice as slow, while the same work on
/// libtorch's team runs beside nothing.
/// </summary>
static unsafe class OpenMpTeam
{
    static readonly Lazy<Api?> Loaded = new(Load);

    /// <summary>libgomp's entry points, kept as addresses (function pointers cannot be record members).</summary>
    sealed record Api(IntPtr ParallelAddress, IntPtr ThreadNumberAddress, IntPtr ThreadsAddress)
    {
        public void Parallel(IntPtr state, uint threads) =>
            ((delegate* unmanaged<delegate* unmanaged<IntPtr, void>, IntPtr, uint, uint, void>)ParallelAddress)(&Entry, state, threads, 0);
        public int ThreadNumber() => ((delegate* unmanaged<int>)ThreadNumberAddress)();
        public int Threads() => ((delegate* unmanaged<int>)ThreadsAddress)();
    }

    /// <summary>Whether libtorch's libgomp is loaded in this process (libtorch's Linux builds use it).</summary>
    public static bool Available => Loaded.Value is not null;

    /// <summary>Runs <paramref name="work"/>(thread, threads) once on each of <paramref name="threads"/> threads of
    /// libtorch's OpenMP team (the caller is thread 0) and returns when all are done; an exception in any is rethrown.</summary>
    public static void Run(int threads, Action<int, int> work)
    {
        var api = Loaded.Value ?? throw new InvalidOperationException("libtorch's OpenMP runtime (libgomp) is not loaded in this process.");
        var job = new Job(work);
        var handle = GCHandle.Alloc(job);
        try
        {
            api.Parallel(GCHandle.ToIntPtr(handle), (uint)Math.Max(1, threads));
        }
        finally
        {
            handle.Free();
        }
        if (job.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    sealed class Job(Action<int, int> work)
    {
        public Action<int, int> Work { get; } = work;
        public Exception? Failure { get; set; }
    }

    [UnmanagedCallersOnly]
    static void Entry(IntPtr state)
    {
        var job = (Job)GCHandle.FromIntPtr(state).Target!;
        try
        {
            var api = Loaded.Value!;
            job.Work(api.ThreadNumber(), api.Threads());
        }
        catch (Exception e)
        {
            // Nothing may unwind into libgomp; the first failure goes back to the caller.
            lock (job) job.Failure ??= e;
        }
    }

    /// <summary>libgomp as libtorch loaded it: the mapped file next to libtorch_cpu.so, else any libgomp in the process.</summary>
    static Api? Load()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string[] mapped;
        try
        {
            mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length == 6 && f[5].StartsWith('/')).Select(f => f[5].Trim()).Distinct().ToArray();
        }
        catch (IOException)
        {
            return null;
        }
        var torchFolder = mapped.Where(p => Path.GetFileName(p) == "libtorch_cpu.so").Select(Path.GetDirectoryName).FirstOrDefault();
        var gomp = mapped.Where(p => Path.GetFileName(p).StartsWith("libgomp", StringComparison.Ordinal))
            .OrderByDescending(p => Path.GetDirectoryName(p) == torchFolder).FirstOrDefault();
        if (gomp is null || !NativeLibrary.TryLoad(gomp, out var library)) return null;
        if (!NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel)
            || !NativeLibrary.TryGetExport(library, "omp_get_thread_num", out var number)
            || !NativeLibrary.TryGetExport(library, "omp_get_num_threads", out var count))
            return null;
        return new Api(parallel, number, count);
    }
}
