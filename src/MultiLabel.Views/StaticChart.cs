using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Plotly.NET;

namespace MultiLabel.Views;

/// <summary>
/// A static SVG twin of a chart, drawn in-process from the same Plotly figure (its line and marker traces, axis titles,
/// a log x axis, the size): what a saved notebook shows where scripts do not run (GitHub, an untrusted Jupyter, nbconvert's
/// HTML without its scripts). Hand-written rather than a plotting library: the package's charts are a few line and point
/// traces, SVG needs no native rasteriser (ScottPlot would bring Skia's native libraries into every kernel) and the viewer
/// draws the text with its own fonts.
/// </summary>
public static class StaticChart
{
    // Plotly's default colour sequence, so the twin matches the live chart trace for trace.
    static readonly string[] Colours = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"];
    const double Left = 64, Right = 170, Top = 16, Bottom = 48;

    sealed record Trace(string Name, double[] X, double[] Y, bool Lines, bool Markers);

    /// <summary>The chart as a standalone SVG document.</summary>
    public static string Svg(GenericChart chart) => Svg(GenericChart.toFigureJson(chart));

    /// <summary>An SVG document for a Plotly figure's JSON (scatter traces; other trace types are left out).</summary>
    public static string Svg(string figureJson)
    {
        using var doc = JsonDocument.Parse(figureJson);
        var root = doc.RootElement;
        var layout = root.TryGetProperty("layout", out var l) ? l : default;
        double width = Number(layout, "width") ?? 720, height = Number(layout, "height") ?? 360;
        bool logX = Axis(layout, "xaxis") is { } xa && xa.TryGetProperty("type", out var t) && t.GetString() == "log";
        var traces = root.TryGetProperty("data", out var data) ? data.EnumerateArray().Select(ReadTrace).OfType<Trace>().ToList() : [];

        var points = traces.SelectMany(tr => tr.X.Zip(tr.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!logX || p.First > 0)).ToList();
        var (x0, x1) = points.Count == 0 ? (0.0, 1.0) : Range(points.Select(p => logX ? Math.Log10(p.First) : p.First), pad: 0);
        var (y0, y1) = points.Count == 0 ? (0.0, 1.0) : Range(points.Select(p => p.Second), pad: 0.05);
        double plotW = width - Left - Right, plotH = height - Top - Bottom;
        double Sx(double x) => Left + ((logX ? Math.Log10(x) : x) - x0) / (x1 - x0) * plotW;
        double Sy(double y) => Top + (1 - (y - y0) / (y1 - y0)) * plotH;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/><rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"#E5ECF6\"/>"));
        foreach (var (value, label) in logX ? LogTicks(x0, x1) : Ticks(x0, x1).Select(v => (v, Label(v))))
        {
            double x = logX ? Left + (Math.Log10(value) - x0) / (x1 - x0) * plotW : Sx(value);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Top + plotH}\" stroke=\"white\"/>"));
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Top + plotH + 14}\" text-anchor=\"middle\" fill=\"#444\">{Escape(label)}</text>"));
        }
        foreach (var value in Ticks(y0, y1))
        {
            double y = Sy(value);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotW}\" y2=\"{y:0.#}\" stroke=\"white\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#444\">{Escape(Label(value))}</text>"));
        }
        if (Title(Axis(layout, "xaxis")) is { } xTitle)
            svg.Append(Invariant($"<text x=\"{Left + plotW / 2:0.#}\" y=\"{height - 10}\" text-anchor=\"middle\" font-size=\"12\">{Escape(xTitle)}</text>"));
        if (Title(Axis(layout, "yaxis")) is { } yTitle)
            svg.Append(Invariant($"<text transform=\"translate(16 {Top + plotH / 2:0.#}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{Escape(yTitle)}</text>"));

        for (int i = 0; i < traces.Count; i++)
        {
            var trace = traces[i];
            string colour = Colours[i % Colours.Length];
            var visible = trace.X.Zip(trace.Y).Select(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!logX || p.First > 0) ? (Sx(p.First), Sy(p.Second)) : ((double, double)?)null).ToList();
            if (trace.Lines)
                foreach (var run in Runs(visible))
                    svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", run.Select(p => Invariant($"{p.Item1:0.#},{p.Item2:0.#}")))}\"/>"));
            if (trace.Markers)
                foreach (var p in visible.OfType<(double X, double Y)>())
                    svg.Append(Invariant($"<circle cx=\"{p.X:0.#}\" cy=\"{p.Y:0.#}\" r=\"4\" fill=\"{colour}\"/>"));
            double ly = Top + 10 + i * 18, lx = Left + plotW + 12;
            svg.Append(trace.Lines
                ? Invariant($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 20}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/>")
                : Invariant($"<circle cx=\"{lx + 10}\" cy=\"{ly}\" r=\"4\" fill=\"{colour}\"/>"));
            svg.Append(Invariant($"<text x=\"{lx + 26}\" y=\"{ly + 4}\">{Escape(trace.Name)}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The chart as an &lt;img&gt; whose source is the SVG itself (a data URI): sanitisers that drop inline SVG and
    /// scripts (an untrusted Jupyter page) keep images.</summary>
    public static string ImgTag(GenericChart chart, string id, string cssClass, string alt) =>
        $"<img id=\"{id}\" class=\"{cssClass}\" alt=\"{WebUtility.HtmlEncode(alt)}\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(Svg(chart)))}\"/>";

    static Trace? ReadTrace(JsonElement t)
    {
        if (t.TryGetProperty("type", out var type) && type.GetString() is { } kind && kind is not ("scatter" or "scattergl")) return null;
        if (!t.TryGetProperty("x", out var x) || !t.TryGetProperty("y", out var y)) return null;
        string mode = t.TryGetProperty("mode", out var m) ? m.GetString() ?? "lines" : "lines";
        string name = t.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        return new Trace(name, Values(x), Values(y), mode.Contains("lines"), mode.Contains("markers"));
    }

    static double[] Values(JsonElement array) => array.ValueKind != JsonValueKind.Array ? [] :
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();

    static JsonElement? Axis(JsonElement layout, string name) =>
        layout.ValueKind == JsonValueKind.Object && layout.TryGetProperty(name, out var axis) ? axis : null;

    static string? Title(JsonElement? axis) =>
        axis is not { } a || !a.TryGetProperty("title", out var title) ? null
        : title.ValueKind == JsonValueKind.String ? title.GetString()
        : title.ValueKind == JsonValueKind.Object && title.TryGetProperty("text", out var text) ? text.GetString() : null;

    static double? Number(JsonElement layout, string name) =>
        layout.ValueKind == JsonValueKind.Object && layout.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    static (double, double) Range(IEnumerable<double> values, double pad)
    {
        double lo = values.Min(), hi = values.Max();
        if (hi - lo < 1e-12) (lo, hi) = (lo - 0.5, hi + 0.5);
        double margin = (hi - lo) * pad;
        return (lo - margin, hi + margin);
    }

    /// <summary>About five round ticks (steps of 1, 2 or 5 times a power of ten) within [lo, hi].</summary>
    static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        for (double v = Math.Ceiling(lo / step) * step; v <= hi + step * 1e-9; v += step)
            yield return Math.Abs(v) < step * 1e-9 ? 0 : v;
    }

    /// <summary>Powers of ten within a log10 range ("1e-05"), or the range's ends where it spans less than a decade.</summary>
    static IEnumerable<(double, string)> LogTicks(double lo, double hi)
    {
        var decades = Enumerable.Range((int)Math.Ceiling(lo), Math.Max(0, (int)Math.Floor(hi) - (int)Math.Ceiling(lo) + 1)).ToList();
        return decades.Count > 0
            ? decades.Select(d => (Math.Pow(10, d), Math.Pow(10, d).ToString("0e+0", CultureInfo.InvariantCulture)))
            : [(Math.Pow(10, lo), Math.Pow(10, lo).ToString("0.##e+0", CultureInfo.InvariantCulture)), (Math.Pow(10, hi), Math.Pow(10, hi).ToString("0.##e+0", CultureInfo.InvariantCulture))];
    }

    static string Label(double v) => v.ToString(Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-3 && v != 0) ? "0.##e+0" : "0.####", CultureInfo.InvariantCulture);

    /// <summary>Consecutive drawable points: a NaN or infinite value breaks the line, as in Plotly.</summary>
    static IEnumerable<List<(double, double)>> Runs(List<(double, double)?> points)
    {
        var run = new List<(double, double)>();
        foreach (var p in points)
        {
            if (p is { } q) { run.Add(q); continue; }
            if (run.Count > 1) yield return run;
            run = [];
        }
        if (run.Count > 1) yield return run;
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);

    static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
