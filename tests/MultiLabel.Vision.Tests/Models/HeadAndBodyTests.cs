using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Models;

public sealed class HeadAndBodyTests
{
    [Fact]
    public void The_head_has_fastais_layers_shapes_and_initialisation()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var head = Head.Create(512, 7);

        var names = head.named_children().Select(c => c.name).ToList();
        head.train();
        var output = head.call(randn(4, 512, 3, 3));
        var lin1 = (TorchSharp.Modules.Linear)head.named_children().Single(c => c.name == "lin1").module;
        var bn1 = (MultiLabel.Vision.Models.Layers.BatchNorm)head.named_children().Single(c => c.name == "bn1").module;

        Assert.Equal(["pool", "flatten", "bn1", "drop1", "lin1", "relu", "bn2", "drop2", "lin2"], names);
        Assert.Equal([4L, 7], output.shape);
        Assert.Equal([512L, 1024], lin1.weight!.shape);
        Assert.Null(lin1.bias);
        Assert.InRange(lin1.weight!.std().item<float>(), Math.Sqrt(2.0 / 1024) * 0.9, Math.Sqrt(2.0 / 1024) * 1.1); // Kaiming normal, fan-in
        Assert.Equal(1f, bn1.Weight.mean().item<float>());
        Assert.Equal(1e-3f, bn1.Bias.mean().item<float>(), 6);
    }

    [Fact]
    public void A_y_range_keeps_outputs_inside_it()
    {
        using var scope = NewDisposeScope();
        var head = Head.Create(64, 2, yRange: (-1, 1));
        head.train();
        var output = head.call(randn(16, 64, 2, 2) * 100);
        Assert.True(output.abs().max().item<float>() <= 1f);
        Assert.Equal("range", head.named_children().Last().name);
    }

    [Fact]
    public void Bodies_keep_torchvision_names_and_feature_counts()
    {
        using var scope = NewDisposeScope();
        foreach (var arch in ResNets.All)
        {
            var body = ResNets.Build(arch, cntkLayout: false);
            Assert.Equal(["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"], body.named_children().Select(c => c.name));
            body.eval();
            using var _ = no_grad();
            Assert.Equal(arch.Features, body.call(randn(1, 3, 64, 64)).shape[1]);
        }
        Assert.Contains("layer4.2.conv1.weight", ResNets.Build(ResNets.ResNet18, cntkLayout: true).state_dict().Keys);
        var error = Assert.Throws<ArgumentException>(() => ResNets.Get("vgg16"));
        Assert.Contains("Known: resnet18, resnet34, resnet50", error.Message);
    }

    [Fact]
    public void PyTorch_weights_load_by_torchvision_names_and_mismatches_are_named()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var source = ResNets.Build(ResNets.ResNet34, cntkLayout: false);
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["fc.weight"] = randn(1000, 512); // torchvision files carry the classifier: ignored
        TorchSharp.PyBridge.Safetensors.SaveStateDict(temp.File("resnet34.safetensors"), state);
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(temp.File("resnet34.pth"), new System.Collections.Hashtable(state));

        var fromSafetensors = TestBodies.Body(ResNets.ResNet34, pretrained: true, pretrainedWeights: temp.File("resnet34.safetensors"));
        var fromPth = TestBodies.Body(ResNets.ResNet34, pretrained: true, pretrainedWeights: temp.File("resnet34.pth"));
        var error = Assert.Throws<InvalidDataException>(() => TestBodies.Body(ResNets.ResNet50, pretrained: true, pretrainedWeights: temp.File("resnet34.safetensors")));

        Assert.True(fromSafetensors.state_dict()["layer3.5.conv2.weight"].equal(source.state_dict()["layer3.5.conv2.weight"]).all().item<bool>());
        Assert.True(fromPth.state_dict()["bn1.running_var"].equal(source.state_dict()["bn1.running_var"]).all().item<bool>());
        Assert.Contains("missing", error.Message);
        Assert.Contains("layer1.0.conv3.weight", error.Message);
        Assert.Contains("shape or type mismatch: layer1.0.conv1.weight (model Float32 [64, 64, 1, 1], file Float32 [64, 64, 3, 3])", error.Message);
    }

    [Fact]
    public void BatchNorm_parameters_and_biases_are_found_for_weight_decay()
    {
        var head = Head.Create(32, 3);
        var described = ParameterGroups.Describe(head);
        Assert.All(described.Where(p => p.Name.StartsWith("bn")), p => Assert.True(p.IsBatchNorm && !p.Decays));
        Assert.All(described.Where(p => p.Name.StartsWith("lin")), p => Assert.True(!p.IsBatchNorm && p.Decays));
    }
}
