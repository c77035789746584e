using MultiLabel.Vision.Data.Loading;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Metrics;

/// <summary>Single-label accuracy: argmax of the outputs equals the target index.</summary>
public sealed class Accuracy : IMetric
{
    long correct, count;
    /// <inheritdoc/>
    public string Name => "accuracy";
    /// <inheritdoc/>
    public void Reset() => (correct, count) = (0, 0);

    /// <inheritdoc/>
    public void Accumulate(Tensor output, Tensor target, Batch batch)
    {
        using var scope = NewDisposeScope();
        correct += output.argmax(-1).eq(target.flatten()).sum().item<long>();
        count += target.numel();
    }

    /// <inheritdoc/>
    public double Value => count == 0 ? double.NaN : (double)correct / count;
}
