namespace MultiLabel.Vision.Data;

/// <summary>Where a program run from a clone finds the repository's bundled datasets.</summary>
public static class BundledDatasets
{
    /// <summary>The folder an environment variable names (a full dataset elsewhere), else <c>datasets/<paramref name="name"/></c>
    /// in the current folder or the nearest folder above it (the repository root when run from anywhere in a clone).</summary>
    public static string Find(string name, string? variable = null)
    {
        if (variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given) return given;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "datasets", name))) return Path.Combine(dir.FullName, "datasets", name);
        throw new DirectoryNotFoundException($"datasets/{name} is not in {Directory.GetCurrentDirectory()} or a folder above it: run from the repository" +
            (variable is null ? "." : $", or set {variable} to the data's folder."));
    }
}
