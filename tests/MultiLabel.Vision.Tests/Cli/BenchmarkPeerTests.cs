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
            "project w host-overhead-fp32-phases forward 3.00 loss 0.10 backward 4.00 step 2.50 rest 0.40 ms (medians of 10)",
            "pytorch w host-overhead-fp32-phases forward 2.00 loss 0.05 backward 3.00 step 3.50 rest 0.30 ms (medians of 10)",
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
            "phases w host-overhead-fp32 (pytorch / project ms): forward 2.00 / 3.00, loss 0.05 / 0.10, backward 3.00 / 4.00, step 3.50 / 2.50, rest 0.30 / 0.40",
        ], output.Trim().Split('\n'));
    }

    [Fact]
    [Trait("Tier", "Slow")] // starts Python with torch and trains a few steps
    public void The_pytorch_side_times_fp32_autocast_and_the_bf16_model_under_its_label()
    {
        var output = ChildProcess.Check("/usr/bin/python3",
            [Path.Combine(RepositoryRoot.Path, "scripts", "gpu", "pytorch_reference.py"), "--device", "cpu", "--workloads", "notebook-06b-resnet18-60x80",
             "--modes", "fp32,bf16+cl", "--steps", "1", "--warmup", "0", "--host-overhead", "--label", "pytorch-glibc-defaults"],
            timeout: TimeSpan.FromMinutes(5));

        foreach (var mode in new[] { "fp32", "bf16-autocast+cl", "bf16-model+cl" })
            Assert.Matches(new Regex($@"^pytorch-glibc-defaults notebook-06b-resnet18-60x80 {Regex.Escape(mode)} \d+\.\d\d ms \(batch 16; median of 1, \d+\.\d\d–\d+\.\d\d\)$", RegexOptions.Multiline), output);
        // The host-bound step and its parts, split as the project's StepPhases splits them (ten steps: at least ten).
        Assert.Matches(new Regex(@"^pytorch-glibc-defaults notebook-06b-resnet18-60x80 host-overhead-fp32-phases forward \d+\.\d\d loss \d+\.\d\d backward \d+\.\d\d step \d+\.\d\d rest \d+\.\d\d ms \(medians of 10\)$", RegexOptions.Multiline), output);
    }

    /// <summary>A log with every kind of figure the run prints besides the steps: growth, epochs of two lengths, loaders on
    /// three folders (the one-worker figure has no PyTorch twin).</summary>
    static readonly string[] GrowthEpochsAndLoaders =
    [
        "machine: AMD EPYC, 2 cores, 23 GiB, avx2 avx512_bf16 avx512f, cache sizes reported: yes",
        "run: 2026-12-04, BENCH_STEPS=5, BENCH_EPOCH_ITEMS=1000,5000",
        "project on CPU (AMD EPYC, 2 cores), cuDNN autotune off, 5 timed steps after 1 warm-up",
        "project w fp32 100.00 ms (batch 16) (median of 5, 98.00–103.00; host: 51 KB managed, 316 tensor handles per step)",
        "project w host-overhead-fp32 10.00 ms per step at batch 2, 32×32 (median of 10, 9.00–11.00)",
        "project growth w fp32 60x80 batch 2 30.00 ms/img (step 60.00 ms; median of 5, 59.00–61.00)",
        "project growth w fp32 60x80 batch 64 8.00 ms/img (step 512.00 ms; median of 5, 500.00–520.00)",
        "project growth w fp32 30x40 batch 2 25.00 ms/img (step 50.00 ms; median of 5, 49.00–51.00)",
        "project epoch-train resnet50-128 fp32 50.00 s for 100 batches of 8 from JPEG (median of 2 epochs)",
        "project epoch-ratio fp32 1.05 (pipeline epoch / pure compute over 100 batches; target ≤ 1.15)",
        "project epoch-train resnet50-128 fp32 240.00 s for 500 batches of 8 from JPEG (median of 2 epochs)",
        "project epoch-ratio fp32 1.02 (pipeline epoch / pure compute over 500 batches; target ≤ 1.15)",
        "data scenes-full: 768 images, first 500×375, RandomResizedCrop(128, minScale 0.35), batch 64, 2 cores",
        "data scenes-full pipeline-reduced workers=1: 700 img/s (0.72x decode-full)",
        "data scenes-full pipeline-reduced workers=2: 1300 img/s (0.72x decode-full)",
        "data headpose-full: 768 images, first 640×480, Resize(240, 320), batch 64, 2 cores",
        "data headpose-full pipeline-reduced workers=2: 1000 img/s (0.90x decode-full)",
        "torch 1.13.0a0 on CPU, 2 threads; 5 timed steps after 1 warm-up",
        "pytorch w fp32 110.00 ms (batch 16; median of 5, 100.00–120.00)",
        "pytorch w host-overhead-fp32 9.00 ms per step at batch 2, 32x32 (median of 10, 8.00–10.00)",
        "pytorch growth w fp32 60x80 batch 2 33.00 ms/img (step 66.00 ms; median of 5, 65.00–67.00)",
        "pytorch growth w fp32 60x80 batch 64 10.00 ms/img (step 640.00 ms; median of 5, 630.00–650.00)",
        "pytorch growth w fp32 30x40 batch 2 20.00 ms/img (step 40.00 ms; median of 5, 39.00–41.00)",
        "pytorch data scenes-full pipeline workers=2: 650 img/s (median of 5)",
        "pytorch data headpose-full pipeline workers=2: 400 img/s (median of 5)",
        "pytorch epoch-train resnet50-128 fp32 55.00 s for 100 batches of 8 from JPEG (median of 2 epochs)",
        "pytorch epoch-train resnet50-128 fp32 250.00 s for 500 batches of 8 from JPEG (median of 2 epochs)",
    ];

    [Fact]
    public void Ratios_pair_growth_figures_epochs_of_each_length_and_each_loader_folder()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("bench.log"), GrowthEpochsAndLoaders);

        var output = ChildProcess.Check("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "gpu", "ratios.sh"), temp.File("bench.log")]);

        Assert.Equal(
        [
            "ratio w fp32 1.10 (pytorch 110.00 ms, project 100.00 ms)",
            "ratio w host-overhead-fp32 0.90 (pytorch 9.00 ms, project 10.00 ms)",
            "ratio epoch resnet50-128 fp32 100 batches 1.10 (pytorch 55.00 s, project 50.00 s per epoch from JPEG; 0.550 and 0.500 s per batch)",
            "ratio epoch resnet50-128 fp32 500 batches 1.04 (pytorch 250.00 s, project 240.00 s per epoch from JPEG; 0.500 and 0.480 s per batch)",
            "ratio growth w 60x80 batch 2 1.10 (pytorch 33.00, project 30.00 ms per image)",
            "ratio growth w 60x80 batch 64 1.25 (pytorch 10.00, project 8.00 ms per image)",
            "ratio growth w 30x40 batch 2 0.80 (pytorch 20.00, project 25.00 ms per image)",
            "ratio data scenes-full loader workers=2 2.00 (project 1300 img/s, pytorch DataLoader 650 img/s)",
            "ratio data headpose-full loader workers=2 2.50 (project 1000 img/s, pytorch DataLoader 400 img/s)",
            "project epoch-ratio fp32 1.05 (pipeline epoch / pure compute over 100 batches; target ≤ 1.15)",
            "project epoch-ratio fp32 1.02 (pipeline epoch / pure compute over 500 batches; target ≤ 1.15)",
        ], output.Trim().Split('\n'));
    }

    [Fact]
    public void The_report_tabulates_every_figure_of_the_log_with_its_machine_and_ratios()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("bench.log"), GrowthEpochsAndLoaders);

        var report = ChildProcess.Check("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "scripts", "bench-report.py"), temp.File("bench.log")]);

        Assert.StartsWith("Machine: AMD EPYC, 2 cores, 23 GiB, avx2 avx512_bf16 avx512f, cache sizes reported: yes. Run: 2026-12-04, BENCH_STEPS=5, " +
                          "BENCH_EPOCH_ITEMS=1000,5000; torch 1.13.0a0 on CPU, 2 threads; project on CPU (AMD EPYC, 2 cores).", report);
        var rows = report.Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| workload") && !l.StartsWith("| batches") && !l.StartsWith("| data")).ToList();
        Assert.Equal(
        [
            "| w | 16 | 110.0 | 100.0 | 1.10 | – | – | – | – | – | 9.0 / 10.0 | 0.90 |",
            "| w | 60x80 | 33.0 / 30.0 (1.10) | 10.0 / 8.0 (1.25) |",
            "| w | 30x40 | 20.0 / 25.0 (0.80) | – / – (–) |",
            "| 100 | 55.0 | 50.0 | 1.10 | 0.550 | 0.500 | 1.05 |",
            "| 500 | 250.0 | 240.0 | 1.04 | 0.500 | 0.480 | 1.02 |",
            "| scenes-full | 500×375, RandomResizedCrop(128, minScale 0.35) | 2 | 650 | 1300 | 2.00 |",
            "| headpose-full | 640×480, Resize(240, 320) | 2 | 400 | 1000 | 2.50 |",
        ], rows);
        Assert.Contains("| workload | size | batch 2 | batch 64 |", report);
    }

    [Theory]
    [InlineData("avx512")]
    [InlineData("avx2")]
    public void The_readmes_benchmark_tables_are_the_report_of_the_committed_log_of_each_machine_kind(string kind)
    {
        var log = Path.Combine(RepositoryRoot.Path, "docs", "benchmarks", $"cpu-{kind}.log");
        using var temp = new TempFolder();
        var readme = temp.File("README.md");
        File.Copy(Path.Combine(RepositoryRoot.Path, "README.md"), readme);

        ChildProcess.Check("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "scripts", "bench-report.py"), log, "--readme", readme, "--section", kind]);

        // Rewriting the section from the log changes nothing: the README holds exactly what the run printed.
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")), File.ReadAllText(readme));
        Assert.Contains($"<!-- bench-cpu:begin {kind}: ", File.ReadAllText(readme));
        // The log is filed under the kind of machine it was measured on.
        var machine = File.ReadLines(log).First(l => l.StartsWith("machine: "));
        Assert.Equal(kind == "avx512", machine.Contains("avx512f"));
    }

    [Fact]
    public void The_report_refuses_a_readme_without_its_markers()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("bench.log"), GrowthEpochsAndLoaders);
        File.WriteAllText(temp.File("README.md"), "# no markers\n");

        var run = ChildProcess.Run("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "scripts", "bench-report.py"), temp.File("bench.log"), "--readme", temp.File("README.md"), "--section", "avx2"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("expected one '<!-- bench-cpu:begin avx2: ", run.Output);
        Assert.Equal("# no markers\n", File.ReadAllText(temp.File("README.md")));
    }
}
