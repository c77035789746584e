using MultiLabel.Vision.Data.Loading;
using TorchSharp;

namespace MultiLabel.Vision.Metrics;

/// <summary>A validation metric: reset before an epoch's validation, fed every batch (raw model outputs, targets and the
/// batch itself for image sizes), then read. Implementations keep what they need on the CPU.</summary>
public interface IMetric
{
    string Name { get; }
    void Reset();
    void Accumulate(torch.Tensor output, torch.Tensor target, Batch batch);
    double Value { get; }
}
