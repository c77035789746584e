namespace MultiLabel.Vision.Data;

/// <summary>The labels a model predicts, sorted (ordinal), each with its output index.</summary>
public sealed class Vocab : IReadOnlyList<string>
{
    readonly string[] labels;
    readonly Dictionary<string, int> index;

    public Vocab(IEnumerable<string> labels)
    {
        this.labels = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        index = this.labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
    }

    public int Count => labels.Length;
    public string this[int i] => labels[i];
    public bool Contains(string label) => index.ContainsKey(label);

    public int IndexOf(string label) =>
        index.TryGetValue(label, out var i) ? i : throw new KeyNotFoundException($"'{label}' is not in the vocabulary ({string.Join(", ", labels)}).");

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)labels).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => labels.GetEnumerator();
    public override string ToString() => $"Vocab({Count}): {string.Join(", ", labels)}";
}
