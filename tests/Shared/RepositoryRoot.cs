namespace MultiLabel.Testing;

/// <summary>The repository root (the folder with the solution), found from a test's output folder.</summary>
static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MultiLabel.Interactive.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No MultiLabel.Interactive.sln above {AppContext.BaseDirectory}");
    }
}
