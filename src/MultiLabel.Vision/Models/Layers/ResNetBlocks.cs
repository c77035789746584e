using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>
/// torchvision's ResNet blocks with torchvision's child names (conv1, bn1, conv2, bn2[, conv3, bn3], downsample.0/.1),
/// so state dicts load unchanged. TorchSharp's own blocks add the shortcut with <c>x.add_(identity)</c>, which creates a
/// Scalar that its finalizer can free during the native call (see <see cref="Scalars"/>); these pass one that lives.
/// Children are registered in torchvision's order, which is the order its weight initialisation walks them.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 1;
    readonly Module<Tensor, Tensor> conv1, bn1, conv2, bn2;
    readonly Module<Tensor, Tensor>? downsample;

    /// <param name="inPlanes">Input channels.</param>
    /// <param name="planes">Output channels.</param>
    /// <param name="stride">Stride of the first convolution.</param>
    /// <param name="downsample">The shortcut's 1×1 convolution and BatchNorm when the shape changes; made first, as torchvision does.</param>
    public BasicBlock(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm.For2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm.For2d(planes);
        this.downsample = downsample;
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        if (downsample is not null) register_module("downsample", downsample);
    }

    public override Tensor forward(Tensor input)
    {
        using var a = conv1.call(input);
        using var b = bn1.call(a).relu_();
        using var c = conv2.call(b);
        var x = bn2.call(c);
        using var identity = downsample?.call(input);
        return x.add_(identity ?? input, Scalars.One).relu_();
    }
}

/// <summary>torchvision's Bottleneck (ResNet-50): 1×1 → 3×3 (stride) → 1×1 ×4, with the shortcut added as in <see cref="BasicBlock"/>.</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 4;
    readonly Module<Tensor, Tensor> conv1, bn1, conv2, bn2, conv3, bn3;
    readonly Module<Tensor, Tensor>? downsample;

    public Bottleneck(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 1, bias: false);
        bn1 = BatchNorm.For2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm.For2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, kernel_size: 1, bias: false);
        bn3 = BatchNorm.For2d(planes * Expansion);
        this.downsample = downsample;
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        register_module("conv3", conv3);
        register_module("bn3", bn3);
        if (downsample is not null) register_module("downsample", downsample);
    }

    public override Tensor forward(Tensor input)
    {
        using var a = conv1.call(input);
        using var b = bn1.call(a).relu_();
        using var c = conv2.call(b);
        using var d = bn2.call(c).relu_();
        using var e = conv3.call(d);
        var x = bn3.call(e);
        using var identity = downsample?.call(input);
        return x.add_(identity ?? input, Scalars.One).relu_();
    }
}
