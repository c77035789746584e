using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Models;

/// <summary>The project's ResNet blocks and BatchNorm against TorchSharp's torchvision ResNet: same state-dict names, same
/// weights for the same seed, same outputs, gradients and running statistics for the same weights.</summary>
public sealed class ResNetBlocksTests
{
    static nn.Module<Tensor, Tensor> Torchvision(string arch) => arch switch
    {
        "resnet18" => torchvision.models.resnet18(),
        "resnet34" => torchvision.models.resnet34(),
        _ => torchvision.models.resnet50(),
    };

    static Dictionary<string, Tensor> WithoutFc(nn.Module module) =>
        module.state_dict().Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)).ToDictionary();

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    public void The_same_seed_gives_torchvisions_names_and_weights_and_the_generator_ends_in_the_same_state(string arch)
    {
        manual_seed(7);
        using var reference = Torchvision(arch);
        using var afterReference = rand(3);
        manual_seed(7);
        using var ours = ResNets.Build(ResNets.Get(arch), cntkLayout: false);
        using var afterOurs = rand(3);

        var expected = WithoutFc(reference);
        var actual = ours.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.allclose(actual[name], rtol: 0, atol: 0), $"{arch}: {name} differs");
        Assert.True(afterReference.allclose(afterOurs, rtol: 0, atol: 0), "the generator is not where torchvision's constructor leaves it");
    }

    [Fact]
    public void The_CNTK_layout_takes_layer4_from_a_resnet34_as_before()
    {
        manual_seed(3);
        using var reference18 = torchvision.models.resnet18();
        using var reference34 = torchvision.models.resnet34();
        manual_seed(3);
        using var ours = ResNets.Build(ResNets.ResNet18, cntkLayout: true);

        var actual = ours.state_dict();
        foreach (var (name, tensor) in WithoutFc(reference18).Where(kv => !kv.Key.StartsWith("layer4.", StringComparison.Ordinal)))
            Assert.True(tensor.allclose(actual[name], rtol: 0, atol: 0), name);
        foreach (var (name, tensor) in reference34.state_dict().Where(kv => kv.Key.StartsWith("layer4.", StringComparison.Ordinal)))
            Assert.True(tensor.allclose(actual[name], rtol: 0, atol: 0), name);
        Assert.Contains("layer4.2.conv1.weight", actual.Keys);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void Outputs_gradients_and_running_statistics_match_torchvision_for_the_same_weights(string arch)
    {
        manual_seed(11);
        using var reference = Torchvision(arch);
        using var ours = ResNets.Build(ResNets.Get(arch), cntkLayout: false);
        var trained = WithoutFc(reference);
        using (no_grad())
            foreach (var (name, tensor) in ours.state_dict()) tensor.copy_(trained[name]);
        var referenceBody = torch.nn.Sequential(reference.named_children().Where(c => c.name is not ("avgpool" or "flatten" or "fc"))
            .Select(c => (c.name, (nn.Module<Tensor, Tensor>)c.module)));
        using var x = randn(2, 3, 64, 64);

        reference.train(); ours.train();
        using var expected = referenceBody.call(x);
        using var actual = ours.call(x);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), $"train-mode outputs differ by {(expected - actual).abs().max().item<float>()}");
        expected.sum().backward();
        actual.sum().backward();
        foreach (var (name, p) in ours.named_parameters())
        {
            var r = reference.get_parameter(name)!;
            Assert.True(r.grad!.allclose(p.grad!, rtol: 1e-5, atol: 1e-6), $"gradient of {name} differs");
        }
        foreach (var (name, buffer) in ours.named_buffers())
            Assert.True(trained[name].allclose(buffer, rtol: 0, atol: 1e-6), $"buffer {name} differs after a training step");
        Assert.Equal(1L, ours.state_dict()["bn1.num_batches_tracked"].item<long>());

        reference.eval(); ours.eval();
        using var _ = no_grad();
        using var expectedEval = referenceBody.call(x);
        using var actualEval = ours.call(x);
        Assert.True(expectedEval.allclose(actualEval, rtol: 0, atol: 1e-6), "eval-mode outputs differ");
    }

    [Fact]
    public void BatchNorm_rejects_an_input_of_the_wrong_rank_naming_the_shape()
    {
        using var bn = BatchNorm.For2d(4);

        var e = Assert.Throws<ArgumentException>(() => bn.call(zeros(2, 4)));

        Assert.Contains("BatchNorm2d expects a 4-dimensional input, got 2 dimensions ([2, 4])", e.Message);
    }
}
