using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Packs the engine and the extension once per test run into the repository's artifacts/packages with
/// scripts/pack.sh, with a fresh version (the kernel would otherwise reuse a cached package of the same version).</summary>
public sealed class LocalPackageFeed
{
    public string Root { get; }
    public string Folder { get; }
    public string Version { get; }

    public LocalPackageFeed()
    {
        Root = FindRoot();
        Folder = Path.Combine(Root, "artifacts", "packages");
        // With pack.sh's own checks, the kernel one included: the smoke notebook restores every package from this folder
        // alone into an empty NuGet cache, in a kernel started outside the repository.
        var run = Run("bash", [Path.Combine(Root, "scripts", "pack.sh")], Root, TimeSpan.FromMinutes(15));
        Version = VersionIn(run);
        Assert.True(File.Exists(Path.Combine(Folder, $"MultiLabel.Interactive.{Version}.nupkg")), $"pack wrote no package for {Version}:\n{run}");
        Run("dotnet", ["tool", "restore"], Root);
        // As the main command does: the notebooks' own `#r "nuget: MultiLabel.Interactive, *-*"` finds this build
        // through the kernel's NuGet restore, which reads this MSBuild property from the environment it inherits.
        Environment.SetEnvironmentVariable("RestoreAdditionalProjectSources", Folder);
    }

    static string FindRoot() => MultiLabel.Testing.RepositoryRoot.Path;

    /// <summary>The version scripts/pack.sh printed (its last line on standard output; its checks go to standard error).</summary>
    public static string VersionIn(string packOutput) =>
        packOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$"))
            ?? throw new InvalidOperationException($"pack.sh printed no version:\n{packOutput}");

    public static string Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan? timeout = null) =>
        MultiLabel.Testing.ChildProcess.Check(file, args, workingDirectory, timeout);

    public static (int ExitCode, string Output) RunWithExitCode(string file, IEnumerable<string> args, string workingDirectory, TimeSpan? timeout = null)
    {
        var result = MultiLabel.Testing.ChildProcess.Run(file, args, workingDirectory, timeout: timeout);
        return (result.ExitCode, result.Output);
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<LocalPackageFeed>
{
    public const string Name = "package";
}
