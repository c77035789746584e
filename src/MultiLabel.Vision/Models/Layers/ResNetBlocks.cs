using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>
/// A torchvision ResNet block: convolution + BatchNorm stages (ReLU between them), the shortcut (identity, or the
/// <c>downsample</c> 1×1 convolution + BatchNorm) added, then ReLU. Children carry torchvision's names (conv1, bn1, …,
/// downsample.0/.1) in torchvision's order, which is also the order its weight initialisation walks them, so state dicts
/// and seeded weights are unchanged. TorchSharp's own blocks add the shortcut with <c>x.add_(identity)</c>, which creates
/// a Scalar that its finalizer can free during the native call (see <see cref="Scalars"/>); these pass one that lives.
/// </summary>
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    readonly (Module<Tensor, Tensor> Conv, Module<Tensor, Tensor> Bn)[] stages;
    readonly Module<Tensor, Tensor>? downsample;

    /// <param name="name">The module's name.</param>
    /// <param name="stages">The main branch: each convolution with the BatchNorm after it.</param>
    /// <param name="downsample">The shortcut's convolution and BatchNorm when the shape changes (made before the stages, as torchvision does).</param>
    protected ResidualBlock(string name, (Module<Tensor, Tensor> Conv, Module<Tensor, Tensor> Bn)[] stages, Module<Tensor, Tensor>? downsample) : base(name)
    {
        (this.stages, this.downsample) = (stages, downsample);
        for (int i = 0; i < stages.Length; i++)
        {
            register_module($"conv{i + 1}", stages[i].Conv);
            register_module($"bn{i + 1}", stages[i].Bn);
        }
        if (downsample is not null) register_module("downsample", downsample);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < stages.Length; i++)
        {
            using var convolved = stages[i].Conv.call(x);
            var normalised = stages[i].Bn.call(convolved);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = i < stages.Length - 1 ? normalised.relu_() : normalised;
        }
        using var identity = downsample?.call(input);
        return x.add_(identity ?? input, Scalars.One).relu_();
    }

    /// <summary>torchvision's convolution in a block: no bias, "same" padding.</summary>
    protected static Module<Tensor, Tensor> Conv(long inPlanes, long outPlanes, long kernel, long stride = 1) =>
        Conv2d(inPlanes, outPlanes, kernel_size: kernel, stride: stride, padding: kernel / 2, bias: false);
}

/// <summary>torchvision's BasicBlock (ResNet-18/34): 3×3 (stride) → 3×3.</summary>
public sealed class BasicBlock(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample)
    : ResidualBlock(nameof(BasicBlock), [(Conv(inPlanes, planes, 3, stride), BatchNorm.For2d(planes)), (Conv(planes, planes, 3), BatchNorm.For2d(planes))], downsample)
{
    /// <summary>Output channels per <c>planes</c>.</summary>
    public const int Expansion = 1;
}

/// <summary>torchvision's Bottleneck (ResNet-50): 1×1 → 3×3 (stride) → 1×1 ×4.</summary>
public sealed class Bottleneck(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample)
    : ResidualBlock(nameof(Bottleneck), [(Conv(inPlanes, planes, 1), BatchNorm.For2d(planes)), (Conv(planes, planes, 3, stride), BatchNorm.For2d(planes)),
        (Conv(planes, planes * Expansion, 1), BatchNorm.For2d(planes * Expansion))], downsample)
{
    /// <summary>Output channels per <c>planes</c>.</summary>
    public const int Expansion = 4;
}
