using MultiLabel.Vision.Models;
using MultiLabel.Vision.Serialization;

namespace MultiLabel.Vision.Tests;

/// <summary>A ResNet body on its own (the engine builds whole learners): random, ImageNet's, or from a weights file.</summary>
static class TestBodies
{
    public static TorchSharp.Modules.Sequential Body(Arch arch, bool pretrained, string? pretrainedWeights = null)
    {
        MultiLabel.Native.TorchRuntime.Initialize();
        if (pretrainedWeights is not null)
        {
            var body = ResNets.Build(arch, cntkLayout: false);
            PyTorchWeights.LoadInto(body, pretrainedWeights, $"a {arch.Name} body");
            return body;
        }
        return pretrained ? ResNets.ImageNetBody(arch).Body : ResNets.Build(arch, cntkLayout: false);
    }
}
