namespace MultiLabel.Vision.Training;

/// <summary>One image's prediction: decoded (a <see cref="Data.LabelVector"/>, a label, points in the image's pixels, or
/// numbers), the activated outputs (probabilities, or the values themselves), and the decoded value as the target block
/// describes it.</summary>
public sealed record Prediction(object Decoded, IReadOnlyList<float> Activations, string Description)
{
    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>Validation predictions: activations (probabilities / values) and targets, row-major [N, K], on the CPU,
/// with each item's position in the validation set and original image size.</summary>
public sealed record Predictions(float[] Activations, float[] Targets, int Count, int Width, IReadOnlyList<int> Positions, IReadOnlyList<(int Width, int Height)> Sizes, double Loss)
{
    /// <summary>Item <paramref name="index"/>'s activations.</summary>
    public float[] Row(int index) => Activations[(index * Width)..((index + 1) * Width)];

    /// <summary>fastai's <c>preds, targs = learn.get_preds()</c>: both as new [N, K] float tensors on the CPU.</summary>
    public void Deconstruct(out TorchSharp.torch.Tensor preds, out TorchSharp.torch.Tensor targs)
    {
        preds = TorchSharp.torch.tensor(Activations, [Count, Width]);
        targs = TorchSharp.torch.tensor(Targets, [Count, Width]);
    }
}
