using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

public sealed class MixedPrecisionTests
{
    static DataLoaders TinyScenes() => Training.TinyScenes.Loaders(rows: 64);

    static Dictionary<string, Tensor> Masters(Learner learn) =>
        learn.Groups.SelectMany(g => g.Parameters).Where(p => p.Master is not null)
            .ToDictionary(p => p.Name, p => p.Master!.detach().clone().contiguous());

    [Fact]
    public void ToBf16_converts_all_but_batchnorm_lays_convolutions_channels_last_and_keeps_float32_masters()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1);
        var before = learn.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        learn.ToBf16();

        var parameters = learn.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(ScalarType.BFloat16, parameters["body.conv1.weight"].dtype);
        Assert.Equal(ScalarType.BFloat16, parameters["head.lin2.weight"].dtype);
        Assert.Equal(ScalarType.Float32, parameters["body.bn1.weight"].dtype);
        Assert.Equal(ScalarType.Float32, parameters["head.bn1.bias"].dtype);
        Assert.True(MemoryLayout.IsChannelsLast(parameters["body.layer2.0.conv1.weight"]));
        var all = learn.Groups.SelectMany(g => g.Parameters).ToList();
        Assert.All(all, p => Assert.Equal(!p.IsBatchNorm, p.Master is not null));
        foreach (var p in all.Where(p => p.Master is not null))
        {
            Assert.Equal(ScalarType.Float32, p.Master!.dtype);
            Assert.True(p.Master.equal(before[p.Name]).all().item<bool>(), $"{p.Name}: the master is the float32 value");
            Assert.True(p.Parameter.equal(before[p.Name].to(ScalarType.BFloat16)).all().item<bool>(), $"{p.Name}: the parameter is its rounding");
        }
        Assert.True(learn.IsMixedPrecision && learn.ChannelsLast);
        Assert.Contains("bfloat16 with float32 master weights, channels-last", learn.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Masters_keep_updates_smaller_than_a_bfloat16_step(bool flat)
    {
        using var scope = NewDisposeScope();
        var master = tensor(new[] { 1f });
        var p = new TorchSharp.Modules.Parameter(tensor(new[] { 1f }).to(ScalarType.BFloat16), requires_grad: true);
        var group = new ParameterGroup("g", [new GroupParameter("b", p, false, IsBias: true) { Master = master }]) { LearningRate = 1e-3, Momentum = 0.9 };
        using IOptimizer adam = flat ? new Adam([group]) : new ReferenceAdam([group]);
        p.grad ??= zeros(1, dtype: ScalarType.BFloat16); // the flat optimizer keeps a CPU parameter's own gradient

        for (int step = 1; step <= 10; step++)
        {
            using (no_grad()) p.grad!.fill_(0.5);
            adam.Step();
            // With a constant gradient fastai's Adam moves by lr·g/(|g| + eps) each step: 0.001 − 2e-8.
            double expected = 1 - step * 1e-3 * 0.5 / (0.5 + 1e-5);
            Assert.Equal(expected, master.item<float>(), 5);
            Assert.Equal(ScalarType.Float32, master.dtype);
            Assert.True(p.equal(master.to(ScalarType.BFloat16)).all().item<bool>(), $"step {step}: the parameter is the rounded master");
            if (step == 1) Assert.Equal(1f, p.to(ScalarType.Float32).item<float>()); // 0.999 rounds back to 1 in bfloat16
        }
        Assert.NotEqual(1f, p.to(ScalarType.Float32).item<float>()); // ten small steps add up in the master
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Flat_and_per_parameter_optimizers_train_a_learner_identically(bool bf16)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> Train(bool flat)
        {
            var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 4,
                optFunc: flat ? null : groups => new ReferenceAdam(groups));
            if (bf16) learn.ToBf16();
            manual_seed(5); // the same dropout masks for both runs
            learn.Fit(1, 1e-3); // the optimizer is made at the first step, after the first backward
            return bf16 ? Masters(learn) : learn.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        }
        var perParameter = Train(flat: false);
        var flatBuffers = Train(flat: true);
        foreach (var (name, m) in perParameter)
        {
            double diff = (flatBuffers[name] - m).abs().max().item<float>();
            Assert.True(diff < 1e-6, $"{name}: max |Δ| {diff}");
        }
    }

    [Fact]
    public void Training_in_bf16_learns_keeps_parameters_equal_to_their_rounded_masters_and_reports_float32()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1).ToBf16();
        var outputs = new List<ScalarType>();
        learn.Add(new OutputTypeProbe(outputs));

        learn.Fit(4, 1e-2);

        var losses = learn.Recorder.Batches.Select(b => b.Loss).ToList();
        Assert.True(losses.Take(3).Average() > losses.TakeLast(3).Average() + 0.05, $"loss {losses[0]:F3} → {losses[^1]:F3}");
        Assert.All(outputs, t => Assert.Equal(ScalarType.Float32, t));
        Assert.True(double.IsFinite(learn.Recorder.Epochs[^1].ValidLoss));
        foreach (var p in learn.Groups.SelectMany(g => g.Parameters).Where(p => p.Master is not null))
            Assert.True(p.Parameter.equal(p.Master!.to(ScalarType.BFloat16)).all().item<bool>(), $"{p.Name}: parameter ≠ rounded master");
        var preds = learn.GetPreds();
        Assert.All(preds.Activations, a => Assert.InRange(a, 0f, 1f));
    }

    sealed class OutputTypeProbe(List<ScalarType> seen) : Callback
    {
        public override void AfterPred() => seen.Add(Learner.Output!.dtype);
    }

    [Fact]
    public void Mixed_precision_is_a_callback_for_the_learner_or_for_one_fit_and_only_one_at_a_time()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1);
        var conv = () => learn.Model.named_parameters().First(p => p.name == "body.conv1.weight").parameter;
        var dtypes = new DtypeLog();

        // For one fit, as fastai's cbs=: bfloat16 while it trains, float32 with the masters' values afterwards.
        learn.Fit(1, 1e-3, callbacks: [new MixedPrecision(channelsLast: false), dtypes]);
        Assert.Equal(ScalarType.Float32, conv().dtype);
        Assert.False(learn.IsMixedPrecision);
        Assert.All(learn.Groups.SelectMany(g => g.Parameters), p => Assert.Null(p.Master));
        Assert.Equal([ScalarType.Float32], dtypes.Seen.Distinct()); // outputs reach the loss in float32

        var precision = new MixedPrecision();
        learn.Add(precision); // the same as learn.ToBf16()
        Assert.Same(precision, learn.MixedPrecision);
        Assert.Equal(ScalarType.BFloat16, conv().dtype);
        var second = Assert.Throws<InvalidOperationException>(() => learn.Add(new MixedPrecision()));
        Assert.Contains("call ToFp32() first", second.Message);
        Assert.Single(learn.Callbacks.OfType<MixedPrecision>());
        learn.ToBf16(channelsLast: false); // replaces it
        Assert.False(learn.ChannelsLast);
        Assert.DoesNotContain(precision, learn.Callbacks);
        Assert.Equal("bfloat16 with float32 master weights", learn.PrecisionDescription);
    }

    sealed class DtypeLog : Callback
    {
        public List<ScalarType> Seen { get; } = [];
        public override void AfterPred() => Seen.Add(Learner.Output!.dtype);
    }

    [Fact]
    public void Freezing_lr_find_to_fp32_and_export_keep_the_masters_exact_values()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1).ToBf16();
        learn.Fit(1, 1e-3);
        var trained = Masters(learn);

        learn.Freeze(); // a new optimizer: the masters must not be re-read from the rounded parameters
        AssertMasters(learn, trained, "after Freeze");
        learn.Unfreeze();
        learn.LrFind(numIt: 10);
        AssertMasters(learn, trained, "after lr_find");

        learn.Export(temp.File("bf16.mlx"));
        using (var loaded = Learner.Load(temp.File("bf16.mlx"), CPU))
        {
            var weights = loaded.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, m) in trained)
            {
                Assert.Equal(ScalarType.Float32, weights[name].dtype);
                Assert.True(weights[name].equal(m).all().item<bool>(), $"{name}: the export holds the master");
            }
        }

        learn.ToFp32();
        Assert.False(learn.IsMixedPrecision);
        foreach (var (name, p) in learn.Model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.True(p.is_contiguous(), name);
            if (trained.TryGetValue(name, out var m)) Assert.True(p.equal(m).all().item<bool>(), $"{name}: back to the master's value");
        }
        Assert.All(learn.Groups.SelectMany(g => g.Parameters), p => Assert.Null(p.Master));
        learn.Fit(1, 1e-3); // and trains on in float32
    }

    static void AssertMasters(Learner learn, Dictionary<string, Tensor> expected, string when)
    {
        var now = Masters(learn);
        foreach (var (name, m) in expected) Assert.True(now[name].equal(m).all().item<bool>(), $"{name} changed {when}");
    }

    [Fact]
    public void Bf16_outputs_are_close_to_float32_outputs()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1);
        learn.Model.eval();
        using var batch = learn.Dls.Valid.OneBatch();
        Tensor full, half;
        using (no_grad()) full = learn.Forward(batch.X);
        learn.ToBf16();
        learn.Model.eval();
        using (no_grad()) half = learn.Forward(batch.X);
        Assert.Equal(ScalarType.Float32, half.dtype);
        double relative = ((half - full).norm() / full.norm()).item<float>();
        Assert.True(relative < 0.05, $"relative difference {relative:F4}");
    }
}

public sealed class TrainingMemoryTests
{
    [Fact]
    public void Live_tensor_handles_do_not_grow_from_epoch_to_epoch_in_either_precision()
    {
        var dls = TinyScenes.Loaders(rows: 48, batchTfms: [new AugTransforms()]);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);
        foreach (bool bf16 in new[] { false, true })
        {
            if (bf16) learn.ToBf16();
            learn.Fit(1, 1e-3); // the optimizer's state exists from here on
            long afterFirst = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            learn.Fit(2, 1e-3);
            long afterThird = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Assert.True(afterThird <= afterFirst, $"bf16 {bf16}: {afterFirst} live tensor handles after one epoch, {afterThird} after three");
        }
    }
}
