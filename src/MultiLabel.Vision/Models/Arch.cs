using MultiLabel.Vision.Optimizers;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Models;

/// <summary>
/// A registered body architecture, as fastai's <c>model_meta</c> describes one: its torchvision name, the features its
/// body puts out (what the head takes), its layout (blocks per stage, bottleneck or basic blocks) and how a model of
/// (body, head) splits into parameter groups for discriminative learning rates and freezing. How it is pretrained is
/// <see cref="ResNets.ImageNetBody"/>'s business.
/// </summary>
/// <param name="Name">torchvision's name, e.g. resnet34.</param>
/// <param name="Features">Channels out of the body.</param>
/// <param name="Layers">Blocks in each of the four stages.</param>
/// <param name="Bottleneck">Bottleneck blocks (ResNet-50 and deeper) rather than basic ones.</param>
/// <param name="Split">fastai's split of a Sequential(body, head) into parameter groups.</param>
public sealed record Arch(string Name, int Features, IReadOnlyList<int> Layers, bool Bottleneck, Func<nn.Module, IReadOnlyList<ParameterGroup>> Split)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
