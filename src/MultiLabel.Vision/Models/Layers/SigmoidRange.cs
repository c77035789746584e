using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>fastai's SigmoidRange: sigmoid(x)·(high − low) + low, keeping outputs in (low, high) — e.g. y_range (−1, 1).</summary>
public sealed class SigmoidRange : nn.Module<Tensor, Tensor>
{
    /// <summary>The lower bound of the outputs.</summary>
    public double Low { get; }
    /// <summary>The upper bound of the outputs.</summary>
    public double High { get; }
    // Made once and held by the module: TorchSharp frees temporary Scalars in finalizers, possibly during the native call.
    readonly Scalar scale, low;

    /// <summary>A layer mapping inputs into (<paramref name="low"/>, <paramref name="high"/>).</summary>
    public SigmoidRange(double low, double high) : base(nameof(SigmoidRange))
    {
        if (!(high > low)) throw new ArgumentOutOfRangeException(nameof(high), $"yRange needs low < high, got ({low}, {high}).");
        (Low, High) = (low, high);
        (scale, this.low) = ((high - low).ToScalar(), low.ToScalar());
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var s = input.sigmoid();
        return s.mul(scale).add_(low, Scalars.One);
    }
}
