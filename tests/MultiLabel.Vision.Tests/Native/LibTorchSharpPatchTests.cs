using MultiLabel.Native;
using Xunit;

namespace MultiLabel.Vision.Tests.Native;

public sealed class LibTorchSharpPatchTests
{
    static string LibTorchSharp => Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    static HashSet<string> StdCxxNeeds() =>
        ElfSymbolVersions.Read(LibTorchSharp).Needed.Where(n => n.File == "libstdc++.so.6").Select(n => n.Version).ToHashSet();

    [Fact]
    public void A_libstdcxx_without_3_4_32_gets_a_cached_copy_with_that_need_weak()
    {
        using var cache = new TempFolder();
        var debian12 = StdCxxNeeds();
        debian12.Remove("GLIBCXX_3.4.32");

        var first = LibTorchSharpPatch.Prepare(LibTorchSharp, debian12, cache.Path);
        var second = LibTorchSharpPatch.Prepare(LibTorchSharp, debian12, cache.Path);

        Assert.True(first.Applied);
        Assert.False(first.FromCache);
        Assert.Equal(["GLIBCXX_3.4.32"], first.WeakenedVersions);
        Assert.StartsWith(Path.Combine(cache.Path, "libtorchsharp"), first.LoadPath);
        Assert.Equal("libLibTorchSharp.so", Path.GetFileName(first.LoadPath));
        Assert.True(ElfSymbolVersions.Read(first.LoadPath).Needed.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.True(second.FromCache);
        Assert.Equal(first.LoadPath, second.LoadPath);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first.LoadPath)!, "*.tmp"));
    }

    [Fact]
    public void A_libstdcxx_with_every_version_leaves_the_original_and_writes_nothing()
    {
        using var cache = new TempFolder();

        var result = LibTorchSharpPatch.Prepare(LibTorchSharp, StdCxxNeeds(), cache.Path);

        Assert.False(result.Applied);
        Assert.Equal(LibTorchSharp, result.LoadPath);
        Assert.Empty(result.WeakenedVersions);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache.Path));
    }

    [Fact]
    public void The_cache_key_follows_the_original_file()
    {
        using var cache = new TempFolder();
        var copy = cache.File("libLibTorchSharp.so");
        File.Copy(LibTorchSharp, copy);
        var bytes = File.ReadAllBytes(copy);
        bytes[^1] ^= 0xFF; // a different build of the library
        File.WriteAllBytes(copy, bytes);
        var needs = StdCxxNeeds();
        needs.Remove("GLIBCXX_3.4.32");

        var fromOriginal = LibTorchSharpPatch.Prepare(LibTorchSharp, needs, Path.Combine(cache.Path, "c"));
        var fromOther = LibTorchSharpPatch.Prepare(copy, needs, Path.Combine(cache.Path, "c"));

        Assert.NotEqual(fromOriginal.LoadPath, fromOther.LoadPath);
        Assert.False(fromOther.FromCache);
    }
}
