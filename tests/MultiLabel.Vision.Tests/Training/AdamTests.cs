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
        var y = 2 * x + 1;
        for (int i = 0; i < 400; i++)
        {
            using var step = NewDisposeScope();
            var loss = (a * x + b - y).pow(2).mean();
            loss.backward();
            adam.Step();
            adam.ZeroGrad();
        }
        Assert.Equal(2f, a.item<float>(), 1);
        Assert.Equal(1f, b.item<float>(), 1);
    }
}
