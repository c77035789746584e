using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>Mean squared error over every number (fastai's MSELossFlat): outputs [B, 2N] against points [B, N, 2]
/// compare flattened. Targets that are NaN (e.g. unlabelled COCO keypoints) are left out of the mean.</summary>
public sealed class MSELossFlat : ILoss
{
    public string Name => "MSELossFlat";

    public Tensor Compute(Tensor output, Tensor target)
    {
        using var o = output.flatten();
        using var t = target.to(output.dtype).flatten();
        using var known = t.isnan().logical_not_();
        if (known.all().item<bool>()) return nn.functional.mse_loss(o, t);
        using var ok = o.masked_select(known);
        using var tk = t.masked_select(known);
        return nn.functional.mse_loss(ok, tk);
    }

    public Tensor Activation(Tensor output) => output.alias();
}
