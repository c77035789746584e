using MultiLabel.Vision.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Metrics;

/// <summary>Single-label accuracy: argmax of the outputs equals the target index.</summary>
public sealed class Accuracy : IMetric
{
    long correct, count;
    public string Name => "accuracy";
    public void Reset() => (correct, count) = (0, 0);

    public void Accumulate(Tensor output, Tensor target, Batch batch)
    {
        using var scope = NewDisposeScope();
        correct += output.argmax(-1).eq(target.flatten()).sum().item<long>();
        count += target.numel();
    }

    public double Value => count == 0 ? double.NaN : (double)correct / count;
}
