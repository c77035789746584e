namespace MultiLabel.Vision.Data;

/// <summary>One item of a split as the getters and blocks see it: x (an image path or image), y (the target in the
/// block's form: labels, a label, points, numbers — or whatever the getter returned when there are no blocks).</summary>
public sealed record DatasetItem(object X, object Y, string Location, int ItemIndex)
{
    public override string ToString() => $"({Show(X)}, {Show(Y)})";

    static string Show(object value) => value switch
    {
        string[] labels => $"[{string.Join(", ", labels)}]",
        float[] numbers => $"[{string.Join(", ", numbers)}]",
        Imaging.Point2[] points => $"[{string.Join(", ", points)}]",
        _ => value.ToString() ?? "",
    };
}
