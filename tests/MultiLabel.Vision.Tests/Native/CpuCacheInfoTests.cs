using MultiLabel.Native;
using Xunit;

namespace MultiLabel.Vision.Tests.Native;

public sealed class CpuCacheInfoTests
{
    static void Cache(string root, string index, string level, string size)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, index)).FullName;
        File.WriteAllText(Path.Combine(dir, "level"), level + "\n");
        File.WriteAllText(Path.Combine(dir, "size"), size + "\n");
    }

    [Fact]
    public void Sizes_for_level_1_and_2_count_as_reported()
    {
        using var sys = new TempFolder();
        Cache(sys.Path, "index0", "1", "32K");
        Cache(sys.Path, "index2", "2", "1024K");

        Assert.True(CpuCacheInfo.IsReported(sys.Path));
    }

    [Fact]
    public void A_missing_cache_folder_is_not_reported()
    {
        using var sys = new TempFolder();
        Assert.False(CpuCacheInfo.IsReported(Path.Combine(sys.Path, "absent")));
    }

    [Fact]
    public void Zero_or_empty_sizes_are_not_reported()
    {
        using var sys = new TempFolder();
        Cache(sys.Path, "index0", "1", "0K");
        Cache(sys.Path, "index2", "2", "");

        Assert.False(CpuCacheInfo.IsReported(sys.Path));
    }
}

public sealed class CpuBfloat16Tests
{
    [Theory]
    [InlineData("flags\t\t: fpu vme avx2 avx512f avx512_bf16 sha_ni", "avx512_bf16")]
    [InlineData("flags\t\t: fpu avx2 amx_bf16 amx_tile avx512_bf16", "amx_bf16")]
    [InlineData("flags\t\t: fpu vme avx2 avx512f", null)]
    public void Native_bfloat16_is_read_from_the_cpu_flags(string flagsLine, string? expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $"processor\t: 0\nmodel name\t: Test CPU\n{flagsLine}\n\nprocessor\t: 1\n");
            Assert.Equal(expected, MultiLabel.Native.CpuBfloat16.NativeFlag(file));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Without_cpuinfo_there_is_no_claim() =>
        Assert.Null(MultiLabel.Native.CpuBfloat16.NativeFlag("/nonexistent/cpuinfo"));
}
