using MultiLabel.Native;
using Xunit;

namespace MultiLabel.Vision.Tests.Native;

/// <summary>Start-up as a fresh process sees it: the `multilabel` tool, run with different environments.
/// A child process also lets a test observe a crash (the oneDNN ResNet-50 case) without dying itself.</summary>
public sealed class StartupInChildProcessTests
{
    static ChildProcess.Result RunTool(IDictionary<string, string?> environment, params string[] args) =>
        MultilabelTool.Run(TimeSpan.FromMinutes(4), environment, args);

    static string NuGetLibTorch() =>
        Path.Combine(NuGetCache.Root(), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");

    [Fact]
    public void Resnet50_trains_a_few_steps_without_the_process_dying()
    {
        var result = RunTool(new Dictionary<string, string?>(), "train-check", "--arch", "resnet50", "--steps", "2", "--size", "64", "--batch", "4");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Output}");
        Assert.Contains("step 2: loss", result.Output);
    }

    [Fact]
    [Trait("Tier", "Slow")] // publishes the tool: half a minute; left out by scripts/test.sh --fast
    public void MULTILABEL_LIBTORCH_selects_the_libtorch_folder_of_an_app_published_without_one()
    {
        var folder = NuGetLibTorch();
        Assert.True(Directory.Exists(folder), folder);
        using var publish = new TempFolder();
        var cli = Path.Combine(RepositoryRoot.Path, "src", "MultiLabel.Cli");
        // Its own bin and obj folders (--artifacts-path): scripts/test.sh runs the package tier, which packs the same
        // projects in Release, at the same time.
        var built = ChildProcess.Run("dotnet", ["publish", cli, "-c", "Release", "-p:WithCpuLibTorch=false", "-o", publish.File("app"),
            "--artifacts-path", publish.File("build"), "--nologo"], timeout: TimeSpan.FromMinutes(4));
        Assert.True(built.ExitCode == 0, built.Output);
        Assert.False(File.Exists(publish.File("app/libtorch_cpu.so")), "the CPU libtorch must not be published");
        Assert.True(File.Exists(publish.File("app/libLibTorchSharp.so")));
        var environment = new Dictionary<string, string?> { ["MULTILABEL_LIBTORCH"] = folder };

        var info = ChildProcess.Run("dotnet", [publish.File("app/multilabel.dll"), "info"], environment: environment);
        var train = ChildProcess.Run("dotnet", [publish.File("app/multilabel.dll"), "train-check", "--steps", "2", "--size", "32", "--batch", "2"], environment: environment);

        Assert.True(info.ExitCode == 0, info.Output);
        Assert.Contains($"libtorch:       {folder} [MULTILABEL_LIBTORCH]", info.Output);
        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Contains("step 2: loss", train.Output);
    }

    [Fact]
    public void MULTILABEL_LIBTORCH_beside_a_bundled_libtorch_is_refused_before_anything_loads()
    {
        var result = RunTool(new Dictionary<string, string?> { ["MULTILABEL_LIBTORCH"] = NuGetLibTorch() }, "info");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("also carries a libtorch", result.Output);
        Assert.Contains("-p:WithCpuLibTorch=false", result.Output);
    }

    [Fact]
    public void A_cold_cache_gets_the_patched_copy_written_then_loaded()
    {
        using var cache = new TempFolder();
        var stdcxx = MultiLabel.Native.SystemLibStdCxx.Locate()!;
        bool needsPatch = !MultiLabel.Native.SystemLibStdCxx.Versions(stdcxx).Contains("GLIBCXX_3.4.32");

        var result = RunTool(new Dictionary<string, string?> { ["MULTILABEL_CACHE"] = cache.Path }, "train-check", "--steps", "1", "--size", "32", "--batch", "2");

        Assert.True(result.ExitCode == 0, result.Output);
        var written = Directory.GetFiles(cache.Path, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.Equal(needsPatch ? 1 : 0, written.Length);
        Assert.Contains("step 1: loss", result.Output);
    }

    [Fact]
    public void A_MULTILABEL_LIBTORCH_without_libtorch_fails_naming_the_folder()
    {
        using var empty = new TempFolder();

        var result = RunTool(new Dictionary<string, string?> { ["MULTILABEL_LIBTORCH"] = empty.Path }, "info");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The libtorch folder '{empty.Path}' (from MULTILABEL_LIBTORCH) must contain libtorch.so", result.Output);
    }

    [Fact]
    public void oneDNN_can_be_forced_off_and_training_still_works()
    {
        var result = RunTool(new Dictionary<string, string?> { ["MULTILABEL_MKLDNN"] = "0" }, "train-check", "--arch", "resnet18", "--steps", "2", "--size", "32", "--batch", "2");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("oneDNN off", result.Output);
        Assert.Contains("step 2: loss", result.Output);
    }
}
