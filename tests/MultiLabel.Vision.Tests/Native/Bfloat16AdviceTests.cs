using Xunit;

namespace MultiLabel.Vision.Tests.Native;

/// <summary>#!device's bfloat16 advice follows what was measured: native bfloat16 helps only with oneDNN on.</summary>
public sealed class Bfloat16AdviceTests
{
    static MultiLabel.Native.TorchRuntimeReport Cpu(bool oneDnn, string? flag) =>
        new("CPU", "cpu", 0, "/lib", "test", "/lib/libLibTorchSharp.so", false, [], null, 2, false, oneDnn, oneDnn ? null : "this CPU reports no cache sizes", true)
        { CpuBfloat16Flag = flag };

    [Fact]
    public void Bfloat16_is_advised_only_where_the_CPU_has_it_and_oneDNN_is_on()
    {
        Assert.Equal("native on this CPU (avx512_bf16) with oneDNN: learn.ToBf16() can train faster here", Cpu(true, "avx512_bf16").Bfloat16Advice);
        Assert.Equal("native on this CPU (avx512_bf16), but oneDNN is off, and without it bfloat16 trains 11–25× slower: keep float32",
            Cpu(false, "avx512_bf16").Bfloat16Advice);
        Assert.Equal("emulated on this CPU (no avx512_bf16 / amx_bf16): keep float32 on the CPU", Cpu(true, null).Bfloat16Advice);
        Assert.Contains("bfloat16:       native on this CPU (avx512_bf16), but oneDNN is off", Cpu(false, "avx512_bf16").ToString());
    }
}
