namespace MultiLabel.Native;

/// <summary>The NuGet global packages folder, as NuGet resolves it: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
internal static class NuGetCache
{
    public static string Root() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
