using MultiLabel.Vision.Models;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>fastai's <c>to_fp16</c>: float16 with float32 masters and PyTorch's dynamic loss scaling.</summary>
public sealed class Float16Tests
{
    [Fact]
    public void The_scaler_backs_off_on_overflow_and_grows_after_enough_clean_steps()
    {
        var scaler = new GradScaler(initScale: 8, growthFactor: 2, backoffFactor: 0.5, growthInterval: 3);
        var seen = new List<double>();
        foreach (bool overflow in new[] { false, false, false, true, false, false, true, false, false, false })
        {
            scaler.Update(overflow);
            seen.Add(scaler.Scale);
        }
        // 8 → three clean steps → 16; overflow → 8; two clean then overflow (no growth) → 4; three clean → 8.
        Assert.Equal([8, 8, 16, 8, 8, 8, 4, 4, 4, 8], seen);
        Assert.Equal(2, scaler.SkippedSteps);
        Assert.Equal(0, scaler.CleanSteps);
        Assert.Equal("dynamic loss scale 8 (grows ×2 after 3 clean steps, ×0.5 on overflow)", scaler.ToString());
        Assert.Equal(65536, new GradScaler().Scale); // PyTorch's default

        Assert.Contains("backoffFactor must be between 0 and 1", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(backoffFactor: 1)).Message);
        Assert.Contains("growthFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthFactor: 0.5)).Message);
        Assert.Contains("initScale", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(initScale: double.NaN)).Message);
        Assert.Contains("growthInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthInterval: 0)).Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_scaled_gradient_too_small_for_float16_reaches_the_master_intact(bool flat)
    {
        // g = 1e-7 is below float16's normal range: stored as it is it rounds to 1.19e-7 (two subnormal steps), 19% off;
        // scaled by 2^16 it is 6.55e-3, exact to float16's 11 bits, and divided back in float32.
        const double g = 1e-7, lr = 1e-3, eps = 1e-5;
        double expected = 1 - lr * g / (g + eps); // Adam's first step: lr·ĝ/(√v̂ + eps) with ĝ = g, √v̂ = |g|
        foreach (var (scale, close) in new[] { (65536.0, true), (1.0, false) })
        {
            using var scope = NewDisposeScope();
            var master = tensor(new[] { 1f });
            var p = new TorchSharp.Modules.Parameter(tensor(new[] { 1f }).to(ScalarType.Float16), requires_grad: true);
            var group = new ParameterGroup("g", [new GroupParameter("b", p, false, IsBias: true) { Master = master }]) { LearningRate = lr, Momentum = 0.9 };
            using IOptimizer adam = flat ? new Adam([group]) : new ReferenceAdam([group]);
            p.grad ??= zeros(1, dtype: ScalarType.Float16); // the flat optimizer keeps a CPU parameter's own gradient
            using (no_grad()) p.grad!.fill_(g * scale);
            adam.GradientScale = scale;

            adam.Step();

            double moved = 1 - master.item<float>(), wanted = 1 - expected;
            double relativeError = Math.Abs(moved - wanted) / wanted;
            if (close) Assert.True(relativeError < 2e-3, $"scaled: moved {moved:G6}, expected {wanted:G6}");
            else Assert.True(relativeError > 0.1, $"unscaled float16 gradient: moved {moved:G6}, expected {wanted:G6} (float16 should have lost it)");
        }
    }

    [Fact]
    [Trait("Tier", "Slow")] // trains in emulated float16: seconds each; left out by scripts/test.sh --fast
    public void ToFp16_trains_in_float16_with_float32_masters_and_reports_float32()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1).ToFp16();
        var parameters = learn.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(ScalarType.Float16, parameters["body.conv1.weight"].dtype);
        Assert.Equal(ScalarType.Float16, parameters["head.lin2.weight"].dtype);
        Assert.Equal(ScalarType.Float32, parameters["body.bn1.weight"].dtype);
        Assert.Equal(AmpMode.Fp16, learn.MixedPrecision!.Mode);
        Assert.Equal("float16 with float32 master weights, channels-last, dynamic loss scale 65536 (grows ×2 after 2000 clean steps, ×0.5 on overflow)",
            learn.PrecisionDescription);
        var events = new StepLog();
        learn.Add(events);

        learn.Fit(4, 1e-2);

        var losses = learn.Recorder.Batches.Select(b => b.Loss).ToList();
        Assert.All(losses, l => Assert.InRange(l, 0, 5)); // the recorded loss is the unscaled one
        Assert.True(losses.Take(3).Average() > losses.TakeLast(3).Average() + 0.05, $"loss {losses[0]:F3} → {losses[^1]:F3}");
        Assert.All(events.Outputs, t => Assert.Equal(ScalarType.Float32, t));
        var scaler = learn.MixedPrecision.Scaler!;
        Assert.Equal(65536, scaler.Scale * Math.Pow(2, scaler.SkippedSteps)); // each skipped step halved it; 2000 steps not reached
        Assert.Equal(scaler.SkippedSteps, events.CancelledSteps);
        Assert.Equal(losses.Count, events.Steps); // after_step runs for skipped steps too
        foreach (var p in learn.Groups.SelectMany(g => g.Parameters).Where(p => p.Master is not null))
            Assert.True(p.Parameter.equal(p.Master!.to(ScalarType.Float16)).all().item<bool>(), $"{p.Name}: parameter ≠ rounded master");
        Assert.All(learn.GetPreds().Activations, a => Assert.InRange(a, 0f, 1f));
    }

    [Fact]
    [Trait("Tier", "Slow")] // trains in emulated float16: seconds each; left out by scripts/test.sh --fast
    public void A_step_whose_gradients_overflow_is_skipped_and_the_scale_backs_off()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1)
            .ToFp16(scaler: new GradScaler(initScale: 1e30)); // loss × 1e30 is finite in float32, not in a float16 gradient
        var before = learn.Groups.SelectMany(g => g.Parameters).ToDictionary(p => p.Name, p => (p.Master ?? p.Parameter).detach().clone());
        var events = new StepLog();
        learn.Add(events);

        learn.Fit(1, 1e-2);

        int batches = learn.Dls.Train.Count;
        Assert.Equal(batches, events.CancelledSteps);
        Assert.Equal(batches, learn.MixedPrecision!.Scaler!.SkippedSteps);
        Assert.Equal(1e30 * Math.Pow(0.5, batches), learn.MixedPrecision.Scaler.Scale, 1e-6 * 1e30 * Math.Pow(0.5, batches));
        foreach (var p in learn.Groups.SelectMany(g => g.Parameters))
            if (p.Parameter.requires_grad)
                Assert.True((p.Master ?? p.Parameter).equal(before[p.Name]).all().item<bool>(), $"{p.Name} moved in a skipped step");
        Assert.All(learn.Groups.SelectMany(g => g.Parameters), p => Assert.True(p.Parameter.grad is null || p.Parameter.grad.count_nonzero().item<long>() == 0,
            $"{p.Name}: a skipped step still zeroes the gradients"));
    }

    [Fact]
    [Trait("Tier", "Slow")] // trains in emulated float16: seconds each; left out by scripts/test.sh --fast
    public void Clean_steps_grow_the_scale_and_to_fp32_keeps_the_masters()
    {
        using var scope = NewDisposeScope();
        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1)
            .ToFp16(channelsLast: false, scaler: new GradScaler(initScale: 1, growthInterval: 2));

        learn.Fit(1, 1e-3);

        int batches = learn.Dls.Train.Count;
        var scaler = learn.MixedPrecision!.Scaler!;
        Assert.Equal(0, scaler.SkippedSteps);
        Assert.Equal(Math.Pow(2, batches / 2), scaler.Scale);
        var masters = learn.Groups.SelectMany(g => g.Parameters).Where(p => p.Master is not null).ToDictionary(p => p.Name, p => p.Master!.detach().clone());

        learn.ToBf16(); // replaces float16 by bfloat16 through float32, with the masters' values
        learn.ToFp32();

        foreach (var (name, p) in learn.Model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            if (masters.TryGetValue(name, out var m)) Assert.True(p.equal(m).all().item<bool>(), $"{name}: back to the master's value");
        }
    }

    sealed class StepLog : Callback
    {
        public List<ScalarType> Outputs { get; } = [];
        public int Steps { get; private set; }
        public int CancelledSteps { get; private set; }
        public override bool RunValid => false;
        public override void AfterPred() => Outputs.Add(Learner.Output!.dtype);
        public override void AfterStep() => Steps++;
        public override void AfterCancelStep() => CancelledSteps++;
    }
}
