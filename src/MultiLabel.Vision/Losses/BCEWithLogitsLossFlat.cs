using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>
/// Binary cross-entropy on logits over every cell (fastai's BCEWithLogitsLossFlat): the mean over all N×C of
/// −[t·log σ(x) + (1−t)·log(1−σ(x))]. Optional per-class positive weights counter class imbalance. Decoding uses
/// <see cref="Threshold"/>.
/// </summary>
public sealed class BCEWithLogitsLossFlat(float threshold = 0.5f, float[]? positiveWeights = null) : ILoss
{
    /// <summary>Probabilities above it decode as present (fastai's <c>thresh</c>).</summary>
    public float Threshold { get; } = threshold;
    /// <summary>Per-class weights of the positive term (PyTorch's <c>pos_weight</c>), or null.</summary>
    public IReadOnlyList<float>? PositiveWeights { get; } = positiveWeights;
    /// <inheritdoc/>
    public string Name => "BCEWithLogitsLossFlat";

    /// <inheritdoc/>
    public Tensor Compute(Tensor output, Tensor target)
    {
        var t = target.to(output.dtype);
        if (PositiveWeights is null)
            return nn.functional.binary_cross_entropy_with_logits(output.flatten(), t.flatten());
        using var weights = HostToDevice.FromArray(PositiveWeights.ToArray(), output.device);
        return nn.functional.binary_cross_entropy_with_logits(output, t.view_as(output), pos_weights: weights);
    }

    /// <inheritdoc/>
    public Tensor Activation(Tensor output) => output.sigmoid();
}
