using System.Runtime.InteropServices;
using TorchSharp;

namespace MultiLabel.Native;

/// <summary>
/// Makes TorchSharp load on this machine and reports what it found. Call <see cref="Initialize"/> (or anything
/// in the engine, which calls it) before the first torch call; it is idempotent and thread-safe.
/// <list type="bullet">
/// <item>Loads libtorch from the folder named by <see cref="UseLibTorchFolder"/> or <c>MULTILABEL_LIBTORCH</c>,
/// else from where the NuGet packages put it.</item>
/// <item>Where the system libstdc++ lacks a version libLibTorchSharp.so asks for (GLIBCXX_3.4.32 on Debian 12 and
/// Ubuntu 22.04), loads a cached copy with that need marked weak; elsewhere loads the original.</item>
/// <item>CPU hygiene: glibc malloc thresholds that stop libtorch's large buffers from being mapped and unmapped
/// every step, NNPACK off (it only prints warnings on CPUs it does not support), oneDNN off where the CPU
/// reports no cache sizes (its ResNet-50 backward pass crashes there).</item>
/// </list>
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a libtorch folder to use instead of the NuGet one.</summary>
    public const string LibTorchVariable = "MULTILABEL_LIBTORCH";
    /// <summary>Set to 1 to keep glibc's default malloc thresholds.</summary>
    public const string NoMallocTuningVariable = "MULTILABEL_NO_MALLOC_TUNING";
    /// <summary>Set to 0 or 1 to force oneDNN (mkldnn) off or on instead of detecting.</summary>
    public const string MkldnnVariable = "MULTILABEL_MKLDNN";
    /// <summary>Set to 1 to leave NNPACK on (it is turned off because it only warns on most CPUs).</summary>
    public const string NnpackVariable = "MULTILABEL_NNPACK";
    /// <summary>Set to 0 to leave cuDNN's autotuner off (on by default on CUDA, as fastai sets torch.backends.cudnn.benchmark).</summary>
    public const string CudnnBenchmarkVariable = "MULTILABEL_CUDNN_BENCHMARK";

    // glibc's mmap threshold maximum on 64-bit is 32 MiB; above the default (128 KiB, adapting upwards)
    // every activation buffer is a fresh mmap whose pages the kernel zeroes again each step.
    const int MmapThreshold = 32 * 1024 * 1024;
    const int TrimThreshold = int.MaxValue;

    static readonly object Gate = new();
    static string? requestedFolder;
    static TorchRuntimeReport? report;

    /// <summary>Uses the libtorch in <paramref name="folder"/> (e.g. an installed PyTorch's torch/lib, which brings CUDA).
    /// Must be called before the first torch call of the process.</summary>
    public static void UseLibTorchFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        lock (Gate)
        {
            if (report is not null && !SamePath(report.LibTorchFolder, full))
                throw new InvalidOperationException(
                    $"libtorch is already loaded from '{report.LibTorchFolder}'; a process can load only one. " +
                    $"Call UseLibTorchFolder(\"{folder}\") before any torch use (in a notebook: restart the kernel and call it first).");
            requestedFolder = full;
        }
    }

    /// <summary>True once <see cref="Initialize"/> has loaded libtorch.</summary>
    public static bool IsInitialized { get { lock (Gate) return report is not null; } }

    /// <summary>Loads libtorch and LibTorchSharp (once) and returns what was found.</summary>
    public static TorchRuntimeReport Initialize()
    {
        lock (Gate)
        {
            return report ??= Load();
        }
    }

    /// <summary>Same as <see cref="Initialize"/>, with the live thread count.</summary>
    public static TorchRuntimeReport Describe() => Initialize() with { Threads = torch.get_num_threads() };

    /// <summary>The device training should use: the first CUDA device when there is one, else the CPU.</summary>
    public static torch.Device DefaultDevice => Initialize().IsCuda ? torch.CUDA : torch.CPU;

    /// <summary>GPU memory in use and in total, in bytes (what nvidia-smi shows for the device, including libtorch's cache);
    /// null on CPU or before this thread has run CUDA work.</summary>
    public static (long Used, long Total)? CudaMemory() => Initialize().IsCuda ? CudaDriver.Memory() : null;

    static TorchRuntimeReport Load()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            return LoadElsewhere();

        bool mallocTuned = TuneMalloc();
        var torchSharp = typeof(torch).Assembly;
        var folder = ChooseLibTorchFolder(torchSharp);
        var libTorchSharp = LibTorchLocator.FindLibTorchSharp(torchSharp)
            ?? throw new DllNotFoundException(
                "libLibTorchSharp.so was not found next to the application, in TorchSharp's package folder or in the NuGet cache. " +
                "Reference the TorchSharp package (and restore) so that its native part is present.");

        var stdcxx = SystemLibStdCxx.Locate();
        var available = stdcxx is null ? new HashSet<string>() : SystemLibStdCxx.Versions(stdcxx);
        var patch = stdcxx is null
            ? new LibTorchSharpPatchResult(libTorchSharp, false, [], false)
            : LibTorchSharpPatch.Prepare(libTorchSharp, available, LibTorchSharpPatch.DefaultCacheRoot());

        // libtorch first, by full path: LibTorchSharp's DT_NEEDED entries then resolve to these by SONAME,
        // and TorchSharp's later by-name loads ("torch_cuda", "LibTorchSharp") find the copies already loaded.
        Load(Path.Combine(folder.Path, "libtorch.so"));
        var torchCuda = folder.HasCuda && NativeLibrary.TryLoad(Path.Combine(folder.Path, "libtorch_cuda.so"), out var cuda) ? cuda : IntPtr.Zero;
        var libTorchSharpHandle = Load(patch.LoadPath);
        var torchCpu = Load(Path.Combine(folder.Path, "libtorch_cpu.so"));
        BindTorchSharpImports(torchSharp, libTorchSharpHandle, torchCpu, torchCuda);

        bool nnpackOff = Environment.GetEnvironmentVariable(NnpackVariable) != "1"
            && LibTorchContext.TrySetFlag(torchCpu, LibTorchContext.SetNnpack, false);
        var (mkldnn, mkldnnNote) = DecideMkldnn();
        if (!mkldnn) LibTorchContext.TrySetFlag(torchCpu, LibTorchContext.SetMkldnn, false);

        var described = Describe(folder, patch, stdcxx, mallocTuned, mkldnn, mkldnnNote, nnpackEnabled: !nnpackOff);
        // Batches keep one shape, so cuDNN's per-shape algorithm search pays off after the first step (fastai's default).
        bool benchmark = described.IsCuda && Environment.GetEnvironmentVariable(CudnnBenchmarkVariable) != "0"
            && LibTorchContext.TrySetFlag(torchCpu, LibTorchContext.SetBenchmarkCudnn, true);
        return described with { CudnnBenchmark = benchmark, CpuBfloat16Flag = described.IsCuda ? null : CpuBfloat16.NativeFlag() };
    }

    static TorchRuntimeReport Describe(LibTorchFolder folder, LibTorchSharpPatchResult patch, string? stdcxx,
        bool mallocTuned, bool mkldnn, string? mkldnnNote, bool nnpackEnabled)
    {
        bool cuda;
        try
        {
            cuda = torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            throw new DllNotFoundException(
                $"TorchSharp could not use libtorch from '{folder.Path}' ({folder.Source}) with '{patch.LoadPath}': {e.Message}", e);
        }
        int count = cuda ? torch.cuda.device_count() : 0;
        string device = cuda ? CudaDriver.DeviceName(0) ?? "CUDA device 0" : CpuName();
        return new TorchRuntimeReport(
            cuda ? "CUDA" : "CPU", device, count, folder.Path, folder.Source, patch.LoadPath,
            patch.Applied, patch.WeakenedVersions, stdcxx, torch.get_num_threads(),
            mallocTuned, mkldnn, mkldnnNote, nnpackEnabled);
    }

    static LibTorchFolder ChooseLibTorchFolder(System.Reflection.Assembly torchSharp)
    {
        var fromEnv = Environment.GetEnvironmentVariable(LibTorchVariable);
        var (explicitFolder, source) = requestedFolder is not null ? (requestedFolder, "TorchRuntime.UseLibTorchFolder")
            : !string.IsNullOrWhiteSpace(fromEnv) ? (Path.GetFullPath(fromEnv), LibTorchVariable)
            : (null, null);
        if (explicitFolder is not null)
        {
            if (!LibTorchLocator.IsLibTorchFolder(explicitFolder))
                throw new DirectoryNotFoundException(
                    $"The libtorch folder '{explicitFolder}' (from {source}) must contain libtorch.so, libtorch_cpu.so and libc10.so. " +
                    "For an installed PyTorch use the folder printed by: python3 -c \"import torch,os;print(os.path.join(os.path.dirname(torch.__file__),'lib'))\"");
            var bundled = LibTorchLocator.FindApplicationLibTorch(torchSharp);
            if (bundled is not null && !SamePath(bundled, explicitFolder))
                throw new InvalidOperationException(
                    $"{source} names '{explicitFolder}', but this application also carries a libtorch in '{bundled}', which TorchSharp " +
                    "would load as well (two copies of libtorch in one process abort). Build or publish without the CPU libtorch package " +
                    $"(for the multilabel tool: -p:WithCpuLibTorch=false), or unset {LibTorchVariable}.");
            return new LibTorchFolder(explicitFolder, source!);
        }
        return LibTorchLocator.FindLibTorch(torchSharp)
            ?? throw new DllNotFoundException(
                "No libtorch was found. Add the package libtorch-cpu-linux-x64 2.10.0 (or TorchSharp-cpu / TorchSharp-cuda-linux) " +
                $"to the project (in a notebook: #r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"), or set {LibTorchVariable} to a libtorch folder.");
    }

    /// <summary>TorchSharp's P/Invokes then bind to exactly the libraries loaded above, never to another copy
    /// found by the runtime's probing (e.g. the CPU libtorch next to the app when another folder was chosen).</summary>
    static void BindTorchSharpImports(System.Reflection.Assembly torchSharp, IntPtr libTorchSharp, IntPtr torchCpu, IntPtr torchCuda)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => name switch
            {
                "LibTorchSharp" => libTorchSharp,
                "torch_cpu" => torchCpu,
                "torch_cuda" => torchCuda,
                _ => IntPtr.Zero,
            });
        }
        catch (InvalidOperationException)
        {
            // Someone registered a resolver already; the SONAME matches above still apply.
        }
    }

    static IntPtr Load(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException($"Could not load '{path}': {e.Message}", e);
        }
    }

    static bool TuneMalloc()
    {
        if (Environment.GetEnvironmentVariable(NoMallocTuningVariable) == "1") return false;
        try
        {
            return LibC.MallOpt(LibC.MallocMmapThreshold, MmapThreshold) == 1
                 & LibC.MallOpt(LibC.MallocTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): nothing to tune
        }
    }

    static (bool Enabled, string? Note) DecideMkldnn()
    {
        var forced = Environment.GetEnvironmentVariable(MkldnnVariable);
        if (forced == "0") return (false, $"{MkldnnVariable}=0");
        if (forced == "1") return (true, $"{MkldnnVariable}=1");
        return CpuCacheInfo.IsReported()
            ? (true, null)
            : (false, "this CPU reports no cache sizes, where oneDNN crashes in ResNet-50 training; slower convolutions instead");
    }

    static TorchRuntimeReport LoadElsewhere()
    {
        // Windows and macOS: TorchSharp's own loader works there; only an explicit folder needs help.
        if (requestedFolder is not null) NativeLibrary.Load(Path.Combine(requestedFolder, OperatingSystem.IsWindows() ? "torch.dll" : "libtorch.dylib"));
        bool cuda = torch.cuda.is_available();
        return new TorchRuntimeReport(cuda ? "CUDA" : "CPU", cuda ? "CUDA device 0" : RuntimeInformation.ProcessArchitecture.ToString(),
            cuda ? torch.cuda.device_count() : 0, requestedFolder ?? "(TorchSharp default)", "TorchSharp loader", "(TorchSharp default)",
            false, [], null, torch.get_num_threads(), false, true, null, true);
    }

    static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            var name = line?.Split(':', 2)[1].Trim();
            return $"{name ?? "CPU"}, {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return $"CPU, {Environment.ProcessorCount} cores";
        }
    }

    static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}
