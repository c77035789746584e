namespace MultiLabel.Vision.Schedules;

/// <summary>
/// Learning rates over parameter groups, as fastai takes them: one value for every group, <see cref="Slice(double)"/>
/// (the last group gets <c>hi</c>, the others <c>hi/10</c>), or <see cref="Slice(double, double)"/> (a geometric series
/// from <c>lo</c> to <c>hi</c> over the groups).
/// </summary>
public readonly record struct LearningRates
{
    readonly double? single;
    readonly double? low;
    readonly double high;

    LearningRates(double? single, double? low, double high) => (this.single, this.low, this.high) = (single, low, high);

    /// <summary>One learning rate for every group.</summary>
    public static implicit operator LearningRates(double value) => new(Check(value), null, value);

    /// <summary>fastai's <c>slice(hi)</c>: the last group gets <paramref name="high"/>, the others a tenth of it.</summary>
    public static LearningRates Slice(double high) => new(null, null, Check(high));

    /// <summary>fastai's <c>slice(lo, hi)</c>: rates spaced geometrically from <paramref name="low"/> (first group) to <paramref name="high"/> (last).</summary>
    public static LearningRates Slice(double low, double high) =>
        !(low <= high) ? throw new ArgumentOutOfRangeException(nameof(low), $"slice(lo, hi) needs lo ≤ hi, got ({low}, {high}).") : new(null, Check(low), Check(high));

    /// <summary>The largest rate (the last group's).</summary>
    public double Max => single ?? high;

    /// <summary>The rate of each of <paramref name="groups"/> groups, first to last.</summary>
    public double[] For(int groups)
    {
        if (groups < 1) throw new ArgumentOutOfRangeException(nameof(groups));
        double hi = high;
        if (single is { } s) return Enumerable.Repeat(s, groups).ToArray();
        if (low is { } lo)
            return groups == 1 ? [hi] : Enumerable.Range(0, groups).Select(i => lo * Math.Pow(hi / lo, (double)i / (groups - 1))).ToArray();
        return Enumerable.Range(0, groups).Select(i => i == groups - 1 ? hi : hi / 10).ToArray();
    }

    static double Check(double value) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A learning rate must be positive and finite.");

    /// <inheritdoc/>
    public override string ToString() => single is { } s ? $"{s:G3}" : low is { } lo ? $"slice({lo:G3}, {high:G3})" : $"slice({high:G3})";
}
