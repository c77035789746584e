using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace MultiLabel.Views;

/// <summary>The chapter's small plots in a cell: a line through points (<c>plt.plot(xs, accs)</c>) and fastai's
/// <c>plot_function</c>. They render offline like the rest of the package's charts.</summary>
public static class Plot
{
    /// <summary>A line with markers through the points (<paramref name="x"/>, <paramref name="y"/>), as the chapter's
    /// <c>plt.plot(xs, accs)</c>.</summary>
    public static PlotView Line(IEnumerable<double> x, IEnumerable<double> y, string xTitle = "x", string yTitle = "y")
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        if (xs.Length != ys.Length) throw new ArgumentException($"{xs.Length} x values but {ys.Length} y values.", nameof(y));
        return new PlotView(Chart.Line<double, double, string>(x: xs, y: ys, Name: yTitle, ShowMarkers: true)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(600, 320));
    }

    /// <summary>fastai's <c>plot_function(f, min, max)</c>: <paramref name="f"/> at <paramref name="points"/> evenly spaced x.</summary>
    public static PlotView Function(Func<double, double> f, double min = -2, double max = 2, string xTitle = "x", string yTitle = "f(x)", int points = 100)
    {
        if (!(max > min)) throw new ArgumentException($"max ({max}) must be greater than min ({min}).", nameof(max));
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), "A plot needs at least 2 points.");
        var xs = Enumerable.Range(0, points).Select(i => min + (max - min) * i / (points - 1)).ToArray();
        return new PlotView(Chart.Line<double, double, string>(x: xs, y: xs.Select(f).ToArray(), Name: yTitle)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(600, 320));
    }
}

/// <summary>A chart made by <see cref="Plot"/>. A type of this package, so that a cell using it compiles without binding
/// to Plotly.NET's F# types (which makes the C# kernel print assembly-version warnings).</summary>
public sealed class PlotView
{
    internal PlotView(GenericChart chart) => Chart = chart;

    internal GenericChart Chart { get; }

    /// <summary>The chart as a self-contained HTML fragment.</summary>
    public string Html() => ChartHtml.Render(Chart);
}
