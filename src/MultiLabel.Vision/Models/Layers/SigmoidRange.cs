using TorchSharp;
using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>fastai's SigmoidRange: sigmoid(x)·(high − low) + low, keeping outputs in (low, high) — e.g. y_range (−1, 1).</summary>
public sealed class SigmoidRange : nn.Module<Tensor, Tensor>
{
    public double Low { get; }
    public double High { get; }
    // Made once and held by the module: TorchSharp frees temporary Scalars in finalizers, possibly during the native call.
    readonly Scalar scale, low;

    public SigmoidRange(double low, double high) : base(nameof(SigmoidRange))
    {
        if (!(high > low)) throw new ArgumentOutOfRangeException(nameof(high), $"yRange needs low < high, got ({low}, {high}).");
        (Low, High) = (low, high);
        (scale, this.low) = ((high - low).ToScalar(), low.ToScalar());
    }

    public override Tensor forward(Tensor input)
    {
        using var s = input.sigmoid();
        return s.mul(scale).add_(low, Scalars.One);
    }
}
