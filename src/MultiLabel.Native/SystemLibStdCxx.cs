namespace MultiLabel.Native;

/// <summary>Finds the libstdc++ this process uses and the symbol versions it provides.</summary>
public static class SystemLibStdCxx
{
    static readonly string[] WellKnownPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>The libstdc++ already mapped into this process (the .NET host links it), else the first
    /// one found in the usual system folders; null when there is none.</summary>
    public static string? Locate()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..].Trim();
                if (System.IO.Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal) && File.Exists(path))
                    return path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return WellKnownPaths.FirstOrDefault(File.Exists);
    }

    /// <summary>Symbol versions (GLIBCXX_*, CXXABI_*) defined by the libstdc++ at <paramref name="path"/>.</summary>
    public static IReadOnlySet<string> Versions(string path) =>
        ElfSymbolVersions.Read(path).Defined.ToHashSet(StringComparer.Ordinal);
}
