using System.Text.RegularExpressions;
using Xunit;

namespace MultiLabel.Vision.Tests.Cli;

/// <summary>The benchmark's PyTorch side and its ratios: which peer each project figure is held against.</summary>
public sealed class BenchmarkPeerTests
{
    [Fact]
    public void Ratios_hold_fp32_against_both_allocator_settings_and_bf16_against_autocast_and_the_bf16_model()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("bench.log"),
        [
            "project w fp32 100.00 ms (batch 16)",
            "project w bf16+cl 50.00 ms (batch 16)",
            "project w host-overhead-fp32 10.00 ms per step",
            "pytorch w fp32 110.00 ms (batch 16)",
            "pytorch w bf16-autocast+cl 60.00 ms (batch 16)",
            "pytorch w bf16-model+cl 45.00 ms (batch 16)",
            "pytorch w host-overhead-fp32 9.00 ms per step at batch 2, 32x32",
            "pytorch-glibc-defaults w fp32 150.00 ms (batch 16)",
            "pytorch-glibc-defaults w host-overhead-fp32 12.00 ms per step at batch 2, 32x32",
        ]);

        var output = ChildProcess.Check("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "gpu", "ratios.sh"), temp.File("bench.log")]);

        Assert.Equal(
        [
            "ratio w fp32 1.10 (pytorch 110.00 ms, project 100.00 ms)",
            "ratio w fp32 vs glibc defaults 1.50 (pytorch 150.00 ms, project 100.00 ms)",
            "ratio w bf16+cl vs autocast 1.20 (pytorch 60.00 ms, project 50.00 ms)",
            "ratio w bf16+cl vs bf16 model 0.90 (pytorch 45.00 ms, project 50.00 ms)",
            "ratio w host-overhead-fp32 0.90 (pytorch 9.00 ms, project 10.00 ms)",
            "ratio w host-overhead-fp32 vs glibc defaults 1.20 (pytorch 12.00 ms, project 10.00 ms)",
        ], output.Trim().Split('\n'));
    }

    [Fact]
    [Trait("Tier", "Slow")] // starts Python with torch and trains a few steps
    public void The_pytorch_side_times_fp32_autocast_and_the_bf16_model_under_its_label()
    {
        var output = ChildProcess.Check("/usr/bin/python3",
            [Path.Combine(RepositoryRoot.Path, "scripts", "gpu", "pytorch_reference.py"), "--device", "cpu", "--workloads", "notebook-06b-resnet18-60x80",
             "--modes", "fp32,bf16+cl", "--steps", "1", "--warmup", "0", "--label", "pytorch-glibc-defaults"],
            timeout: TimeSpan.FromMinutes(5));

        foreach (var mode in new[] { "fp32", "bf16-autocast+cl", "bf16-model+cl" })
            Assert.Matches(new Regex($@"^pytorch-glibc-defaults notebook-06b-resnet18-60x80 {Regex.Escape(mode)} \d+\.\d\d ms \(batch 16; median of 1, \d+\.\d\d–\d+\.\d\d\)$", RegexOptions.Multiline), output);
    }
}
