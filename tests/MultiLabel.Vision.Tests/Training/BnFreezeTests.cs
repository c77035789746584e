using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Layers;
using MultiLabel.Vision.Training;
using Xunit;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>fastai's train_bn=False with BnFreeze: the frozen body's BatchNorm layers keep their parameters and running
/// statistics while the head trains; after unfreezing they train again.</summary>
public sealed class BnFreezeTests
{
    [Fact]
    public void A_frozen_body_keeps_its_BatchNorm_exactly_while_the_head_BatchNorm_learns()
    {
        var dls = TinyScenes.Loaders(rows: 96);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1, trainBn: false, callbacks: [new BnFreeze()]);
        learn.Freeze();
        var bodyBn = learn.Model.named_modules().Where(m => m.name.StartsWith("body.") && m.module is BatchNorm).Select(m => (BatchNorm)m.module).ToList();
        var headBn = learn.Model.named_modules().Where(m => m.name.StartsWith("head.") && m.module is BatchNorm).Select(m => (BatchNorm)m.module).ToList();
        Assert.Equal(20, bodyBn.Count); // ResNet-18: bn1, two per block in 8 blocks, three downsample BatchNorms
        Assert.All(bodyBn, bn => Assert.False(bn.Weight.requires_grad));
        Assert.DoesNotContain(learn.TrainableParameters(), n => n.StartsWith("body."));

        var before = bodyBn.Select(bn => (Mean: bn.RunningMean.clone(), Weight: bn.Weight.detach().clone())).ToList();
        var headMeanBefore = headBn[0].RunningMean.clone();
        learn.Fit(1, 1e-3);

        for (int i = 0; i < bodyBn.Count; i++)
        {
            Assert.True(bodyBn[i].RunningMean.allclose(before[i].Mean, rtol: 0, atol: 0), $"body BatchNorm {i}: running mean moved");
            Assert.True(bodyBn[i].Weight.allclose(before[i].Weight, rtol: 0, atol: 0), $"body BatchNorm {i}: weight moved");
        }
        Assert.False(headBn[0].RunningMean.allclose(headMeanBefore, rtol: 0, atol: 0), "the head's BatchNorm did not update its statistics");

        learn.Unfreeze();
        learn.Fit(1, 1e-3);
        Assert.False(bodyBn[0].RunningMean.allclose(before[0].Mean, rtol: 0, atol: 0), "after unfreezing, the body's BatchNorm statistics must update again");
    }

    [Fact]
    public void With_train_bn_the_default_a_frozen_body_still_trains_its_BatchNorm_parameters()
    {
        var dls = TinyScenes.Loaders(rows: 96);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);
        learn.Freeze();
        Assert.Contains("body.bn1.weight", learn.TrainableParameters());
        Assert.DoesNotContain("body.conv1.weight", learn.TrainableParameters());
    }

    [Fact]
    public void The_architecture_by_name_takes_the_same_options_as_by_Arch()
    {
        var dls = TinyScenes.Loaders(rows: 96);
        var freeze = new BnFreeze();

        using var learn = VisionLearner.Create(dls, "resnet18", pretrained: false, seed: 1, weightDecay: 0.1, trainBn: false, callbacks: [freeze]);

        Assert.Equal(0.1, learn.WeightDecay);
        Assert.False(learn.TrainBn);
        Assert.Contains(freeze, learn.Callbacks);
        Assert.Equal("resnet18", learn.Info!.Arch);
    }
}
