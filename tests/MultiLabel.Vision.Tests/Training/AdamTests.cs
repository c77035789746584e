using MultiLabel.Vision.Optimizers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

public sealed class AdamTests
{
    static TorchSharp.Modules.Parameter Param(params float[] values) => new(tensor(values), requires_grad: true);

    [Fact]
    public void One_step_matches_the_hand_computed_update_with_decoupled_weight_decay()
    {
        using var scope = NewDisposeScope();
        var w = Param(1f, -2f);
        var bias = Param(1f, -2f);
        w.grad = tensor(new[] { 0.5f, 0.5f });
        bias.grad = tensor(new[] { 0.5f, 0.5f });
        var group = new ParameterGroup("g", [new GroupParameter("w", w, false, false), new GroupParameter("b", bias, false, true)]) { LearningRate = 0.1, Momentum = 0.9 };
        using var adam = new Adam([group]);

        adam.Step();

        // p·(1 − lr·wd), grad_avg = 0.05, sqr_avg = 0.0025, debias 0.1 / 0.01: step = −0.1/0.1 · 0.05/(0.5 + 1e−5)
        double step = -0.05 / (0.5 + 1e-5);
        Assert.Equal(1 * 0.999 + step, w[0].item<float>(), 5);
        Assert.Equal(-2 * 0.999 + step, w[1].item<float>(), 5);
        Assert.Equal(1 + step, bias[0].item<float>(), 5); // biases get no weight decay
    }

    [Fact]
    public void It_fits_a_line()
    {
        using var scope = NewDisposeScope();
        var a = Param(0f);
        var b = Param(0f);
        var group = new ParameterGroup("g", [new GroupParameter("a", a, false, false), new GroupParameter("b", b, false, true)]) { LearningRate = 0.05 };
        using var adam = new Adam([group], weightDecay: 0);
        var x = linspace(-1, 1, 50);
        var y = x.mul(2.0.ToScalar()).add(MultiLabel.Vision.Tensors.Scalars.One); // Scalars held for the calls (the collector runs concurrently here)
        for (int i = 0; i < 400; i++)
        {
            using var step = NewDisposeScope();
            var diff = (a * x).add(b, MultiLabel.Vision.Tensors.Scalars.One).sub(y);
            var loss = diff.mul(diff).mean();
            loss.backward();
            adam.Step();
            adam.ZeroGrad();
        }
        Assert.Equal(2f, a.item<float>(), 1);
        Assert.Equal(1f, b.item<float>(), 1);
    }
}

public sealed class AdamAgainstReferenceTests
{
    static (TorchSharp.Modules.Sequential Model, IReadOnlyList<ParameterGroup> Groups) Model(int seed)
    {
        manual_seed(seed);
        var body = MultiLabel.Vision.Models.ResNets.Build(MultiLabel.Vision.Models.ResNets.ResNet18, cntkLayout: false);
        var model = nn.Sequential(("body", (nn.Module<Tensor, Tensor>)body), ("head", MultiLabel.Vision.Models.Head.Create(512, 5)));
        return (model, MultiLabel.Vision.Training.ParameterGroups.ResNet(model));
    }

    [Fact]
    public void Flat_buffers_give_the_reference_updates_to_1e_6_with_groups_schedules_and_frozen_parameters()
    {
        using var scope = NewDisposeScope();
        var (reference, referenceGroups) = Model(7);
        var (flat, flatGroups) = Model(7);
        foreach (var (model, groups) in new[] { (reference, referenceGroups), (flat, flatGroups) })
        {
            model.train();
            // frozen like fastai: the first two groups train only their BatchNorm parameters
            foreach (var p in groups.Take(2).SelectMany(g => g.Parameters).Where(p => !p.IsBatchNorm)) p.Parameter.requires_grad = false;
        }
        using var adam = new ReferenceAdam(referenceGroups);
        using var fused = new Adam(flatGroups);
        var x = randn(4, 3, 32, 32);
        var y = (rand(4, 5) > 0.6).to(ScalarType.Float32);

        for (int step = 0; step < 4; step++)
        {
            foreach (var (groups, i) in new[] { (referenceGroups, 0), (flatGroups, 1) })
                for (int g = 0; g < groups.Count; g++) { groups[g].LearningRate = 1e-3 * (g + 1) * (step + 1); groups[g].Momentum = 0.95 - 0.03 * step; }
            using var s = NewDisposeScope();
            manual_seed(100 + step); // the same dropout masks for both models
            nn.functional.binary_cross_entropy_with_logits(reference.call(x), y).backward();
            adam.Step();
            adam.ZeroGrad();
            manual_seed(100 + step);
            nn.functional.binary_cross_entropy_with_logits(flat.call(x), y).backward();
            fused.Step();
            fused.ZeroGrad();
        }

        var a = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in flat.named_parameters())
        {
            double diff = (p - a[name]).abs().max().item<float>();
            Assert.True(diff < 1e-6, $"{name}: max |Δ| {diff}");
        }
        Assert.Equal(4, fused.StateCount); // frozen groups keep only their BatchNorm buffer; the head has both
        var frozen = flat.named_parameters().First(p => p.name == "body.conv1.weight").parameter;
        var before = reference.named_parameters().First(p => p.name == "body.conv1.weight").parameter;
        Assert.True(frozen.equal(before).all().item<bool>());
    }
}
