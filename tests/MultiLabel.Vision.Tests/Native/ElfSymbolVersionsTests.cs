using MultiLabel.Native;
using Xunit;

namespace MultiLabel.Vision.Tests.Native;

public sealed class ElfSymbolVersionsTests
{
    static string LibTorchSharp => Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    [Fact]
    public void It_reads_the_libstdcxx_version_needs_of_LibTorchSharp()
    {
        var versions = ElfSymbolVersions.Read(LibTorchSharp);

        var stdcxx = versions.Needed.Where(n => n.File == "libstdc++.so.6").Select(n => n.Version).ToList();
        Assert.Contains("GLIBCXX_3.4.32", stdcxx);
        Assert.Contains("CXXABI_1.3", stdcxx);
        Assert.All(versions.Needed.Where(n => n.File == "libstdc++.so.6"), n => Assert.False(n.IsWeak));
        Assert.Contains(versions.Needed, n => n.File == "libc.so.6" && n.Version.StartsWith("GLIBC_2."));
    }

    [Fact]
    public void It_reads_the_versions_a_libstdcxx_defines()
    {
        var path = SystemLibStdCxx.Locate();
        Assert.NotNull(path);

        var defined = SystemLibStdCxx.Versions(path!);

        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.Contains(defined, v => v.StartsWith("GLIBCXX_3.4.2", StringComparison.Ordinal));
    }

    [Fact]
    public void Marking_a_need_weak_changes_only_its_flags()
    {
        var original = File.ReadAllBytes(LibTorchSharp);
        var need = ElfSymbolVersions.Parse(LibTorchSharp, original).Needed.Single(n => n.Version == "GLIBCXX_3.4.32");
        var patched = (byte[])original.Clone();

        ElfSymbolVersions.MarkWeak(patched, [need]);

        var reread = ElfSymbolVersions.Parse("patched", patched);
        Assert.True(reread.Needed.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(reread.Needed.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.False(n.IsWeak && n.File == "libstdc++.so.6"));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Equal([(int)need.FlagsOffset], changed);
        Assert.Equal(original[need.FlagsOffset] | ElfSymbolVersions.VerFlagWeak, patched[need.FlagsOffset]);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_rejected_with_its_name()
    {
        using var temp = new TempFolder();
        var path = temp.File("not-a-library.so");
        File.WriteAllText(path, "just text, long enough to pass the size check of the ELF header reader........");

        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.Read(path));

        Assert.Contains("not-a-library.so", error.Message);
        Assert.Contains("not an ELF file", error.Message);
    }
}
