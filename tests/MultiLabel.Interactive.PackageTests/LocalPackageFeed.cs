using System.Diagnostics;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Packs the engine and the extension once per test run into the repository's artifacts/packages,
/// with a fresh version (the kernel would otherwise reuse a cached package of the same version).</summary>
public sealed class LocalPackageFeed
{
    public string Root { get; }
    public string Folder { get; }
    public string Version { get; }

    public LocalPackageFeed()
    {
        Root = FindRoot();
        Folder = Path.Combine(Root, "artifacts", "packages");
        var run = Run("bash", [Path.Combine(Root, "scripts", "pack-local.sh")], Root);
        Version = run.Trim().Split('\n')[^1].Trim();
        Assert.True(File.Exists(Path.Combine(Folder, $"MultiLabel.Interactive.{Version}.nupkg")), $"pack wrote no package for {Version}:\n{run}");
        Run("dotnet", ["tool", "restore"], Root);
    }

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MultiLabel.Interactive.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static string Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan? timeout = null, IDictionary<string, string>? environment = null) =>
        RunWithExitCode(file, args, workingDirectory, timeout, environment) is var (code, output) && code == 0
            ? output
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}:\n{output}");

    public static (int ExitCode, string Output) RunWithExitCode(string file, IEnumerable<string> args, string workingDirectory, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<LocalPackageFeed>
{
    public const string Name = "package";
}
