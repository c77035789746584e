using System.Security.Cryptography;

namespace MultiLabel.Native;

/// <summary>What <see cref="LibTorchSharpPatch.Prepare"/> decided for one libLibTorchSharp.so.</summary>
/// <param name="LoadPath">The file to load: the original, or the patched copy.</param>
/// <param name="Applied">Whether a patched copy is used.</param>
/// <param name="WeakenedVersions">The version needs marked weak (empty when nothing was missing).</param>
/// <param name="FromCache">Whether the patched copy already existed.</param>
public sealed record LibTorchSharpPatchResult(string LoadPath, bool Applied, IReadOnlyList<string> WeakenedVersions, bool FromCache);

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so asks libstdc++ for GLIBCXX_3.4.32 only to reference a marker
/// symbol it never calls; Debian 12 and Ubuntu 22.04 stop at 3.4.30, so the library does not load there.
/// This makes a copy whose unmet libstdc++ version needs are marked weak (the loader then only warns)
/// and caches it by the original's hash. Nothing is written when the system libstdc++ has every version.
/// </summary>
public static class LibTorchSharpPatch
{
    const string PatchedFileName = "libLibTorchSharp.so";

    /// <summary>The library to load: <paramref name="original"/> when the system libstdc++ offers every version it needs,
    /// else a patched copy under <paramref name="cacheRoot"/>.</summary>
    public static LibTorchSharpPatchResult Prepare(string original, IReadOnlySet<string> availableStdCxxVersions, string cacheRoot)
    {
        var bytes = File.ReadAllBytes(original);
        var versions = ElfSymbolVersions.Parse(original, bytes);
        var missing = versions.Needed
            .Where(n => n.File.StartsWith("libstdc++.so", StringComparison.Ordinal) && !n.IsWeak && !availableStdCxxVersions.Contains(n.Version))
            .ToList();
        if (missing.Count == 0)
            return new LibTorchSharpPatchResult(original, false, [], false);

        var hash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()[..16];
        var folder = Path.Combine(cacheRoot, "libtorchsharp", hash);
        var target = Path.Combine(folder, PatchedFileName);
        var weakened = missing.Select(n => n.Version).Distinct().ToList();
        if (File.Exists(target))
            return new LibTorchSharpPatchResult(target, true, weakened, true);

        ElfSymbolVersions.MarkWeak(bytes, missing);
        // A process that dies half-way never leaves a truncated library in the cache.
        Files.AtomicFile.WriteAllBytes(target, bytes);
        return new LibTorchSharpPatchResult(target, true, weakened, false);
    }

    /// <summary>Where patched copies are kept: MULTILABEL_CACHE, else $XDG_CACHE_HOME or ~/.cache, under multilabel-interactive.</summary>
    public static string DefaultCacheRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("MULTILABEL_CACHE");
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return explicitRoot;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "multilabel-interactive");
    }
}
