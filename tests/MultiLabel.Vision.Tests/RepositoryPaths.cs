namespace MultiLabel.Vision.Tests;

/// <summary>Finds the repository root (the folder with the solution) from the test's output folder.</summary>
static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MultiLabel.Interactive.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No MultiLabel.Interactive.sln above {AppContext.BaseDirectory}");
    }
}
