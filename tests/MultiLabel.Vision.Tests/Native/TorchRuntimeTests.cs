using MultiLabel.Native;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void The_report_says_what_was_loaded()
    {
        var report = TorchRuntime.Describe();
        var stdcxx = SystemLibStdCxx.Locate()!;
        bool systemHas3432 = SystemLibStdCxx.Versions(stdcxx).Contains("GLIBCXX_3.4.32");

        Assert.Equal("CPU", report.Backend);
        Assert.True(LibTorchLocator.IsLibTorchFolder(report.LibTorchFolder));
        Assert.Equal(!systemHas3432, report.PatchApplied);
        if (report.PatchApplied) Assert.Contains("GLIBCXX_3.4.32", report.WeakenedVersions);
        Assert.True(File.Exists(report.LibTorchSharpPath));
        Assert.True(report.Threads >= 1);
        Assert.Contains("backend:        CPU", report.ToString());
        Assert.Contains(report.LibTorchFolder, report.ToString());
    }

    [Fact]
    public void The_cudnn_autotuner_switch_is_reachable_in_the_loaded_libtorch_and_left_off_without_cuda()
    {
        var report = TorchRuntime.Describe();
        var torchCpu = System.Runtime.InteropServices.NativeLibrary.Load(Path.Combine(report.LibTorchFolder, "libtorch_cpu.so"));
        Assert.False(report.CudnnBenchmark);
        Assert.Equal(false, LibTorchContext.TryGetFlag(torchCpu, LibTorchContext.GetBenchmarkCudnn));
        try
        {
            Assert.True(LibTorchContext.TrySetFlag(torchCpu, LibTorchContext.SetBenchmarkCudnn, true));
            Assert.Equal(true, LibTorchContext.TryGetFlag(torchCpu, LibTorchContext.GetBenchmarkCudnn));
        }
        finally
        {
            LibTorchContext.TrySetFlag(torchCpu, LibTorchContext.SetBenchmarkCudnn, false);
        }
        Assert.Null(LibTorchContext.TryGetFlag(torchCpu, "_ZNK2at7Context9noSuchOneEv"));
    }

    [Fact]
    public void Torch_computes_with_the_loaded_library()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);

        var product = matmul(a, b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        Assert.Equal(24f, (ones(3, 4) * 2).sum().item<float>());
    }

    [Fact]
    public void Choosing_another_libtorch_after_loading_explains_why_it_cannot()
    {
        TorchRuntime.Initialize();
        using var other = new TempFolder();

        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.UseLibTorchFolder(other.Path));

        Assert.Contains("already loaded", error.Message);
        Assert.Contains("before any torch use", error.Message);
    }

    [Fact]
    public void Choosing_the_loaded_folder_again_is_accepted()
    {
        var report = TorchRuntime.Initialize();
        var spelledOtherwise = Path.TrimEndingDirectorySeparator(report.LibTorchFolder) + Path.DirectorySeparatorChar + "." + Path.DirectorySeparatorChar;

        var same = Record.Exception(() => TorchRuntime.UseLibTorchFolder(report.LibTorchFolder));
        var otherSpelling = Record.Exception(() => TorchRuntime.UseLibTorchFolder(spelledOtherwise));

        Assert.Null(same);
        Assert.Null(otherSpelling);
        Assert.Same(report, TorchRuntime.Initialize()); // nothing reloaded: the same start-up report
    }

    [Fact]
    public void A_small_resnet_trains_a_few_steps_and_its_loss_falls()
    {
        manual_seed(1);
        // The engine's ResNet and Adam: TorchSharp's own create Scalars that its finalizer can free mid-call.
        using var model = nn.Sequential(("body", (nn.Module<Tensor, Tensor>)MultiLabel.Vision.Models.ResNets.Build(MultiLabel.Vision.Models.ResNets.ResNet18, cntkLayout: false)),
            ("head", MultiLabel.Vision.Models.Head.Create(512, 5)));
        model.train();
        using var optimizer = new MultiLabel.Vision.Optimizers.Adam(MultiLabel.Vision.Training.ParameterGroups.Single(model), weightDecay: 0);
        foreach (var g in optimizer.Groups) g.LearningRate = 1e-3;
        using var x = randn(4, 3, 32, 32);
        using var y = tensor(new float[] { 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1 }).reshape(4, 5);
        var losses = new List<float>();
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(x), y);
            loss.backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < losses[0] * 0.8, $"loss went {string.Join(" → ", losses.Select(l => l.ToString("F3")))}");
    }
}
