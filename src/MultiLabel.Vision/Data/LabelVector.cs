namespace MultiLabel.Vision.Data;

/// <summary>
/// A multi-label target or prediction: one value per vocabulary entry (one-hot 0/1, or probabilities),
/// decoded to the labels whose value is above <see cref="Threshold"/>.
/// </summary>
public sealed record LabelVector
{
    /// <summary>The labels, one per value.</summary>
    public IReadOnlyList<string> Vocab { get; }
    /// <summary>One value per label: 0/1 for a target, a probability for a prediction.</summary>
    public IReadOnlyList<float> Values { get; }
    /// <summary>Values above it count as present.</summary>
    public float Threshold { get; }

    /// <summary>A vector of <paramref name="values"/> over <paramref name="vocab"/> (the same length), decoded at <paramref name="threshold"/>.</summary>
    public LabelVector(IReadOnlyList<string> vocab, IReadOnlyList<float> values, float threshold = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(values);
        if (vocab.Count != values.Count)
            throw new ArgumentException($"The vocabulary has {vocab.Count} labels but {values.Count} values were given.", nameof(values));
        if (threshold is < 0f or > 1f || float.IsNaN(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be within [0, 1].");
        Vocab = vocab;
        Values = values;
        Threshold = threshold;
    }

    /// <summary>True when every value is exactly 0 or 1 (a target rather than a prediction).</summary>
    public bool IsOneHot => Values.All(v => v is 0f or 1f);

    /// <summary>The labels whose value is above the threshold, in vocabulary order.</summary>
    public IReadOnlyList<string> Decode() =>
        Vocab.Where((_, i) => Values[i] > Threshold).ToList();

    /// <summary>fastai's title for an item: the decoded labels joined by ';'.</summary>
    public override string ToString() => string.Join(";", Decode());
}
