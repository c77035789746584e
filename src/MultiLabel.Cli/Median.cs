namespace MultiLabel.Cli;

/// <summary>The figure every benchmark prints: the median of its timed repeats (the middle one, or the mean of the two
/// middle ones for an even count), so that one slow repeat (a garbage collection, the VM's neighbours) does not decide it.</summary>
static class Median
{
    /// <summary>The median of <paramref name="values"/> (any order; NaN when there are none) with the smallest and largest.</summary>
    public static (double Median, double Min, double Max) Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        if (n == 0) return (double.NaN, double.NaN, double.NaN);
        return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2, sorted[0], sorted[^1]);
    }
}
