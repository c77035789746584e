using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>Cross-entropy for single-label targets (class indices); activation softmax, decode argmax.</summary>
public sealed class CrossEntropyLossFlat : ILoss
{
    /// <inheritdoc/>
    public string Name => "CrossEntropyLossFlat";
    /// <inheritdoc/>
    public Tensor Compute(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target.flatten());
    /// <inheritdoc/>
    public Tensor Activation(Tensor output) => output.softmax(-1);
}
