namespace MultiLabel.Vision.Data;

/// <summary>One item of a split as the getters and blocks see it: x (an image path or image), y (the target in the
/// block's form: labels, a label, points, numbers — or whatever the getter returned when there are no blocks).
/// With blocks, <see cref="Encode"/> gives it as the model sees it, and deconstructing it does too, as fastai's
/// <c>x, y = dsets.train[0]</c>: <c>var (image, oneHot) = dsets.Train[0];</c>.</summary>
public sealed record DatasetItem(object X, object Y, string Location, int ItemIndex)
{
    /// <summary>The datasets' encoding, when they have blocks.</summary>
    internal Func<DatasetItem, EncodedItem>? Encoder { get; init; }

    /// <summary>Whether the item comes from datasets with blocks (so that <see cref="Encode"/> can decode and encode it).</summary>
    public bool HasBlocks => Encoder is not null;

    /// <summary>The decoded image and the target as the model sees it (see <see cref="Datasets{TItem}.Encode"/>).</summary>
    public EncodedItem Encode() => Encoder is { } encode ? encode(this)
        : throw new InvalidOperationException($"{Location}: encoding needs blocks: give the DataBlock (ImageBlock, a target block) to see items as the model does.");

    /// <summary>fastai's <c>x, y = dsets.train[0]</c>: with blocks the image and the encoded target (a tensor), without
    /// them what the getters returned.</summary>
    public void Deconstruct(out object x, out object y)
    {
        if (Encoder is null) (x, y) = (X, Y);
        else
        {
            var (image, target) = Encode();
            (x, y) = (image, target);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"({Show(X)}, {Show(Y)})";

    // Lists (labels, numbers, points) as [a, b, c]; whatever the getters returned, with or without blocks.
    static string Show(object value) => value is System.Collections.IEnumerable list and not string
        ? $"[{string.Join(", ", list.Cast<object>())}]"
        : value.ToString() ?? "";
}
