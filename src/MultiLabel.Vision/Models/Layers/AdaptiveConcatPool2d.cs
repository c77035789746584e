using static TorchSharp.torch;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>fastai's AdaptiveConcatPool2d: max-pool and average-pool to 1×1, concatenated (doubles the features).</summary>
public sealed class AdaptiveConcatPool2d : nn.Module<Tensor, Tensor>
{
    /// <summary>A pooling layer; it has no parameters.</summary>
    public AdaptiveConcatPool2d() : base(nameof(AdaptiveConcatPool2d)) { }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var max = nn.functional.adaptive_max_pool2d(input, [1, 1]);
        using var avg = nn.functional.adaptive_avg_pool2d(input, [1, 1]);
        return cat([max, avg], 1);
    }
}
