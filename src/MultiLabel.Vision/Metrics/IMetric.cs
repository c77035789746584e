using MultiLabel.Vision.Data.Loading;
using TorchSharp;

namespace MultiLabel.Vision.Metrics;

/// <summary>A validation metric: reset before an epoch's validation, fed every batch (raw model outputs, targets and the
/// batch itself for image sizes), then read. Implementations keep what they need on the CPU.</summary>
public interface IMetric
{
    /// <summary>The column name in the epoch table (fastai's, e.g. <c>accuracy_multi</c>).</summary>
    string Name { get; }
    /// <summary>Forgets what was accumulated (called before each validation).</summary>
    void Reset();
    /// <summary>Takes one validation batch: raw outputs, encoded targets, and the batch (for item sizes).</summary>
    void Accumulate(torch.Tensor output, torch.Tensor target, Batch batch);
    /// <summary>The metric over everything accumulated since <see cref="Reset"/>; NaN when nothing was.</summary>
    double Value { get; }
}
