using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>fastai's learn.summary(): parameter counts against hand-computed ResNet-18 figures, output shapes against the
/// architecture's arithmetic, and a learner left exactly as it was.</summary>
public sealed class LearnerSummaryTests
{
    // ResNet-18 without avgpool and fc: 11,176,512 numbers (torchvision's count less the fc's 513,000). fastai's head for
    // 512 features and 2 outputs: BatchNorm1d(1024) 2,048 + Linear(1024→512, no bias) 524,288 + BatchNorm1d(512) 1,024
    // + Linear(512→2, no bias) 1,024 = 528,384. The body's BatchNorm weights and biases: 64·2 (stem) + 4·64·2 (layer1)
    // + 5·128·2 (layer2, with the downsample's) + 5·256·2 + 5·512·2 = 9,600.
    const long Body = 11_176_512, Head = 528_384, BodyBatchNorm = 9_600;

    static Learner Tiny() => VisionLearner.Create(TinyScenes.Loaders(rows: 16, size: 64, label: l => l.Length % 2 == 0 ? "even" : "odd"),
        ResNets.ResNet18, pretrained: false, seed: 1);

    [Fact]
    public void A_frozen_resnet18_counts_its_parameters_and_the_shapes_follow_the_architecture()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        learn.Freeze();

        var summary = learn.Summary();

        Assert.Equal(Body + Head, summary.TotalParameters);
        Assert.Equal(Head + BodyBatchNorm, summary.TrainableParameters);
        Assert.Equal(Body - BodyBatchNorm, summary.NonTrainableParameters);
        Assert.Equal(summary.TotalParameters, summary.Layers.Sum(l => l.Parameters));
        Assert.Equal(2, summary.FrozenUpToGroup);
        Assert.Equal([8L, 3, 64, 64], summary.InputShape);

        var byName = summary.Layers.ToDictionary(l => l.Name);
        // Stride-2 stem conv then stride-2 max pool; layers 2-4 halve again: 64 → 32 → 16 → 16 → 8 → 4 → 2.
        Assert.Equal(("Conv2d", 9_408L, false), (byName["body.conv1"].Type, byName["body.conv1"].Parameters, byName["body.conv1"].Trainable));
        Assert.Equal([8L, 64, 32, 32], byName["body.conv1"].OutputShape);
        Assert.Equal(("BatchNorm2d", true), (byName["body.bn1"].Type, byName["body.bn1"].Trainable));
        Assert.Equal("BatchNorm1d", byName["head.bn1"].Type);
        Assert.Equal([8L, 64, 16, 16], byName["body.layer1.1.bn2"].OutputShape);
        Assert.Equal([8L, 512, 2, 2], byName["body.layer4.1.bn2"].OutputShape);
        Assert.Equal([8L, 1024, 1, 1], byName["head.pool"].OutputShape);
        Assert.Equal([8L, 1024], byName["head.flatten"].OutputShape);
        Assert.Equal((1_024L, true), (byName["head.lin2"].Parameters, byName["head.lin2"].Trainable));
        Assert.Equal([8L, 2], byName["head.lin2"].OutputShape);
        Assert.Equal("body.conv1", summary.Layers[0].Name);
        Assert.Equal("head.lin2", summary.Layers[^1].Name);

        var text = summary.ToString();
        Assert.Contains("(Input shape: 8 x 3 x 64 x 64)", text);
        Assert.Contains("Total params: 11,704,896", text);
        Assert.Contains("Total trainable params: 537,984", text);
        Assert.Contains("Total non-trainable params: 11,166,912", text);
        Assert.Contains("Model frozen up to parameter group #2", text);
        Assert.Contains("  - Recorder", text);
    }

    [Fact]
    public void The_summary_leaves_weights_statistics_and_mode_as_they_were_and_follows_unfreezing()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        learn.Model.train();
        var frozenBatchNorm = learn.Model.named_modules().Single(m => m.name == "body.bn1").module;
        frozenBatchNorm.eval(); // as BnFreeze leaves it inside a training model
        var before = learn.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var summary = learn.Summary();

        Assert.True(learn.Model.training);
        Assert.False(frozenBatchNorm.training);
        Assert.True(learn.Model.named_modules().Single(m => m.name == "body.layer1.0.bn1").module.training);
        foreach (var (name, value) in learn.Model.state_dict())
            Assert.True(value.eq(before[name]).all().item<bool>(), $"{name} changed");
        // Not pretrained, so not frozen: everything trains.
        Assert.Null(summary.FrozenUpToGroup);
        Assert.Equal(summary.TotalParameters, summary.TrainableParameters);
        Assert.Contains("Model unfrozen", summary.ToString());
    }

    [Fact]
    public void A_mixed_precision_learner_is_summarised_with_the_same_counts_and_shapes()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        var fp32 = learn.Summary();
        learn.ToBf16();

        var bf16 = learn.Summary();

        Assert.Equal(fp32.TotalParameters, bf16.TotalParameters);
        Assert.Equal(fp32.Layers.Select(l => (l.Name, l.Type, l.Parameters)), bf16.Layers.Select(l => (l.Name, l.Type, l.Parameters)));
        Assert.Equal(fp32.Layers.Select(l => l.OutputShape!.ToArray()), bf16.Layers.Select(l => l.OutputShape!.ToArray()));
    }
}
