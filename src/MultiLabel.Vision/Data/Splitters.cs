using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Data.Tables;

namespace MultiLabel.Vision.Data;

/// <summary>Splits items into training and validation indices.</summary>
public delegate SplitIndices Splitter<in T>(IReadOnlyList<T> items);

/// <summary>Indices of the training and the validation items.</summary>
public sealed record SplitIndices(IReadOnlyList<int> Train, IReadOnlyList<int> Valid);

/// <summary>fastai's splitters, by fastai's names: RandomSplitter (seeded), ColSplitter (a boolean column), FuncSplitter
/// (a predicate), IndexSplitter (indices), GrandparentSplitter (train/ and valid/ folders).</summary>
public static class Splitters
{
    /// <summary>A random <paramref name="validPct"/> of the items for validation; the same seed gives the same split.</summary>
    public static Splitter<T> RandomSplitter<T>(double validPct = 0.2, int seed = 42)
    {
        if (validPct is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validPct), validPct, "validPct must be between 0 and 1 (exclusive).");
        return items =>
        {
            var order = Enumerable.Range(0, items.Count).ToArray();
            new System.Random(seed).Shuffle(order);
            int cut = (int)(validPct * items.Count);
            return new SplitIndices(order[cut..].Order().ToArray(), order[..cut].Order().ToArray());
        };
    }

    /// <summary>Validation = the items for which <paramref name="isValid"/> is true.</summary>
    public static Splitter<T> FuncSplitter<T>(Func<T, bool> isValid) => items =>
    {
        var train = new List<int>();
        var valid = new List<int>();
        for (int i = 0; i < items.Count; i++) (isValid(items[i]) ? valid : train).Add(i);
        return new SplitIndices(train, valid);
    };

    /// <summary>Validation = rows whose boolean <paramref name="column"/> is True (fastai's ColSplitter, default is_valid).</summary>
    public static Splitter<TableRow> ColSplitter(string column = "is_valid") => FuncSplitter<TableRow>(row => PascalCsv.ParseBool(row, column));

    /// <summary>Validation = the given item indices.</summary>
    public static Splitter<T> IndexSplitter<T>(IEnumerable<int> validIndices)
    {
        var valid = validIndices.ToHashSet();
        return items =>
        {
            var outside = valid.Where(i => i < 0 || i >= items.Count).ToList();
            if (outside.Count > 0) throw new ArgumentOutOfRangeException(nameof(validIndices), $"Validation indices {string.Join(", ", outside)} are outside 0..{items.Count - 1}.");
            return new SplitIndices(Enumerable.Range(0, items.Count).Where(i => !valid.Contains(i)).ToArray(), valid.Order().ToArray());
        };
    }

    /// <summary>Training = files whose grandparent folder is <paramref name="trainName"/>, validation = those under
    /// <paramref name="validName"/> (<c>train/cat/1.jpg</c>, <c>valid/dog/2.jpg</c>); files under neither are left out,
    /// as fastai's GrandparentSplitter leaves them.</summary>
    public static Splitter<string> GrandparentSplitter(string trainName = "train", string validName = "valid") => items =>
    {
        var train = new List<int>();
        var valid = new List<int>();
        for (int i = 0; i < items.Count; i++)
        {
            var grandparent = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(items[i]))));
            if (grandparent == trainName) train.Add(i);
            else if (grandparent == validName) valid.Add(i);
        }
        return new SplitIndices(train, valid);
    };
}
