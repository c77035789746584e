namespace MultiLabel.Vision.Data;

/// <summary>The labels a model predicts, sorted (ordinal), each with its output index.</summary>
public sealed class Vocab : IReadOnlyList<string>
{
    readonly string[] labels;
    readonly Dictionary<string, int> index;

    /// <summary>The distinct <paramref name="labels"/>, sorted ordinally.</summary>
    public Vocab(IEnumerable<string> labels)
    {
        this.labels = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        index = this.labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>Number of labels (the model's outputs for multi-label targets).</summary>
    public int Count => labels.Length;
    /// <summary>The label of output <paramref name="i"/>.</summary>
    public string this[int i] => labels[i];
    /// <summary>Whether <paramref name="label"/> is in the vocabulary.</summary>
    public bool Contains(string label) => index.ContainsKey(label);

    /// <summary>The output index of <paramref name="label"/>; an error listing the vocabulary when it is not there.</summary>
    public int IndexOf(string label) =>
        index.TryGetValue(label, out var i) ? i : throw new KeyNotFoundException($"'{label}' is not in the vocabulary ({string.Join(", ", labels)}).");

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)labels).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => labels.GetEnumerator();
    /// <inheritdoc/>
    public override string ToString() => $"Vocab({Count}): {string.Join(", ", labels)}";
}
