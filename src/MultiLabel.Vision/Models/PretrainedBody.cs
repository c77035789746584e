namespace MultiLabel.Vision.Models;

/// <summary>A body with ImageNet weights, and which weights they are.</summary>
/// <param name="Body">The body, torchvision's children.</param>
/// <param name="CntkLayout">Whether it is the bundled ResNet-18's layout (layer4 with three blocks).</param>
/// <param name="Description">Which weights it holds, for the learner's summary.</param>
public sealed record PretrainedBody(TorchSharp.Modules.Sequential Body, bool CntkLayout, string Description);
