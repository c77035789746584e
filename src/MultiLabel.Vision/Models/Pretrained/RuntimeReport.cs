using MultiLabel.Native;

namespace MultiLabel.Vision.Models.Pretrained;

/// <summary>The runtime report as `#!device`, `multilabel info` and the chapter apps show it: what TorchSharp loaded, and
/// which ImageNet weights are at hand (the native layer cannot know the weights).</summary>
public static class RuntimeReport
{
    /// <summary>The runtime report (backend, device, libtorch, threads) with which ImageNet weights are at hand.</summary>
    public static TorchRuntimeReport Describe() => TorchRuntime.Describe() with { Weights = TorchvisionWeights.Summary() };
}
