using System.Reflection;

namespace MultiLabel.Native;

/// <summary>A folder with libtorch's shared libraries, and how it was found.</summary>
public sealed record LibTorchFolder(string Path, string Source)
{
    /// <summary>Whether the folder holds libtorch's CUDA library.</summary>
    public bool HasCuda => File.Exists(System.IO.Path.Combine(Path, "libtorch_cuda.so"));
}

/// <summary>
/// Finds libtorch and libLibTorchSharp.so wherever TorchSharp's packages put them: next to a console app or
/// test assembly, in the NuGet cache when a notebook kernel loaded TorchSharp from there, in TorchSharp's own
/// consolidated folder, or in a folder the user named (for example PyTorch's torch/lib, which brings CUDA).
/// </summary>
public static class LibTorchLocator
{
    const string Rid = "linux-x64";
    const string CpuPackage = "libtorch-cpu-linux-x64";
    const string LibTorchPackageVersion = "2.10.0";
    const string TorchSharpNative = "libLibTorchSharp.so";

    /// <summary>A folder is a libtorch folder when it has the three libraries LibTorchSharp links against.</summary>
    public static bool IsLibTorchFolder(string folder) =>
        Directory.Exists(folder)
        && File.Exists(System.IO.Path.Combine(folder, "libtorch.so"))
        && File.Exists(System.IO.Path.Combine(folder, "libtorch_cpu.so"))
        && File.Exists(System.IO.Path.Combine(folder, "libc10.so"));

    /// <summary>The first libtorch folder among the places listed above, or null when there is none.</summary>
    public static LibTorchFolder? FindLibTorch(Assembly torchSharp)
    {
        foreach (var (folder, source) in LibTorchCandidates(torchSharp))
            if (IsLibTorchFolder(folder)) return new LibTorchFolder(System.IO.Path.GetFullPath(folder), source);
        return null;
    }

    /// <summary>A libtorch that TorchSharp's own by-name probing would load: in the application's native search
    /// path or folder, or next to TorchSharp.dll. Null in a notebook kernel, where packages stay in the NuGet cache.</summary>
    public static string? FindApplicationLibTorch(Assembly torchSharp)
    {
        var folders = NativeSearchDirectories().Append(AppContext.BaseDirectory);
        if (AssemblyFolder(torchSharp) is { } dir) folders = folders.Append(dir);
        return folders.Where(f => File.Exists(System.IO.Path.Combine(f, "libtorch_cpu.so")))
            .Select(f => System.IO.Path.GetFullPath(f)).FirstOrDefault();
    }

    /// <summary>The path of TorchSharp's native library (libLibTorchSharp.so), or null when it is not found.</summary>
    public static string? FindLibTorchSharp(Assembly torchSharp) =>
        LibTorchSharpCandidates(torchSharp)
            .Select(folder => System.IO.Path.Combine(folder, TorchSharpNative))
            .FirstOrDefault(File.Exists);

    static IEnumerable<(string Folder, string Source)> LibTorchCandidates(Assembly torchSharp)
    {
        foreach (var dir in NativeSearchDirectories()) yield return (dir, "application native search path");
        yield return (AppContext.BaseDirectory, "application folder");
        yield return (System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native"), "application runtimes folder");
        var torchSharpDir = AssemblyFolder(torchSharp);
        if (torchSharpDir is not null)
        {
            yield return (torchSharpDir, "next to TorchSharp.dll");
            yield return (System.IO.Path.Combine(torchSharpDir, "cpu"), "TorchSharp's consolidated native folder");
        }
        foreach (var root in NuGetRoots(torchSharp))
        {
            var package = System.IO.Path.Combine(root, CpuPackage);
            var version = System.IO.Path.Combine(package, LibTorchPackageVersion);
            if (!Directory.Exists(version) && Directory.Exists(package))
                version = Directory.GetDirectories(package).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault() ?? version;
            yield return (System.IO.Path.Combine(version, "runtimes", Rid, "native"), $"NuGet package {CpuPackage} ({System.IO.Path.GetFileName(version)})");
        }
    }

    static IEnumerable<string> LibTorchSharpCandidates(Assembly torchSharp)
    {
        foreach (var dir in NativeSearchDirectories()) yield return dir;
        yield return AppContext.BaseDirectory;
        yield return System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native");
        var torchSharpDir = AssemblyFolder(torchSharp);
        if (torchSharpDir is not null)
        {
            yield return torchSharpDir;
            // In the NuGet cache: torchsharp/<version>/lib/<tfm>/TorchSharp.dll → torchsharp/<version>/runtimes/...
            yield return System.IO.Path.Combine(torchSharpDir, "..", "..", "runtimes", Rid, "native");
            yield return System.IO.Path.Combine(torchSharpDir, "cpu");
        }
        var version = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        if (version is not null)
            foreach (var root in NuGetRoots(torchSharp))
                yield return System.IO.Path.Combine(root, "torchsharp", version, "runtimes", Rid, "native");
    }

    static IEnumerable<string> NativeSearchDirectories() =>
        (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static string? AssemblyFolder(Assembly assembly) =>
        string.IsNullOrEmpty(assembly.Location) ? null : System.IO.Path.GetDirectoryName(assembly.Location);

    static IEnumerable<string> NuGetRoots(Assembly torchSharp)
    {
        var torchSharpDir = AssemblyFolder(torchSharp);
        if (torchSharpDir is not null && torchSharpDir.Contains($"{System.IO.Path.DirectorySeparatorChar}torchsharp{System.IO.Path.DirectorySeparatorChar}", StringComparison.OrdinalIgnoreCase))
            yield return System.IO.Path.GetFullPath(System.IO.Path.Combine(torchSharpDir, "..", "..", "..", ".."));
        yield return NuGetCache.Root();
    }
}
