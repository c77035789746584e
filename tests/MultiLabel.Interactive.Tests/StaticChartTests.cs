using System.Text.Json;
using System.Xml.Linq;
using MultiLabel.Views;
using Plotly.NET;
using Plotly.NET.CSharp;
using Xunit;
using Chart = Plotly.NET.CSharp.Chart;

namespace MultiLabel.Interactive.Tests;

/// <summary>The static twin of a chart: an SVG drawn in-process from the Plotly figure, inside the chart's HTML and beside
/// it in a notebook's display, for viewers that run no scripts.</summary>
public sealed class StaticChartTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static XElement Draw(GenericChart chart) => XElement.Parse(StaticChart.Svg(chart));

    [Fact]
    public void Lines_and_markers_land_where_the_axes_put_them()
    {
        var chart = Chart.Combine(
            [
                Chart.Line<double, double, string>(x: [0.0, 1, 2, 3, 4], y: [4.0, 3, double.NaN, 1, 0], Name: "train <smoothed>"),
                Chart.Point<double, double, string>(x: [2.0], y: [2.0], Name: "best"),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "iteration")
            .WithYAxisStyle<double, double, string>(TitleText: "loss")
            .WithSize(600, 320);

        var svg = Draw(chart);

        Assert.Equal("600", (string?)svg.Attribute("width"));
        Assert.Equal("320", (string?)svg.Attribute("height"));
        // The NaN breaks the line in two, as Plotly draws it.
        var lines = svg.Elements(Svg + "polyline").Select(p => ((string)p.Attribute("points")!).Split(' ')).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal([2, 2], lines.Select(l => l.Length));
        // x from 0 to 4 spans the plot area: left margin 64, right edge 600 − 170 = 430. y: 0…4 padded by 5% each side, so
        // y = 4 sits at 16 + 256·(0.2/4.4) ≈ 27.6 and y = 0 at 16 + 256·(4.2/4.4) ≈ 260.4 (top 16, plot height 320 − 64).
        Assert.Equal("64,27.6", lines[0][0]);
        Assert.Equal("430,260.4", lines[1][^1]);
        var marker = svg.Elements(Svg + "circle").Single(c => (string?)c.Attribute("r") == "4" && (string?)c.Attribute("cx") == "247");
        Assert.Equal("144", (string?)marker.Attribute("cy")); // 16 + 256·(2.2/4.4)
        var texts = svg.Elements(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("iteration", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("train <smoothed>", texts); // escaped in the markup, itself in the text
        Assert.Contains("best", texts);
    }

    [Fact]
    public void A_log_axis_gets_a_tick_per_decade()
    {
        var lrs = Enumerable.Range(0, 31).Select(i => Math.Pow(10, -5 + i * 0.1)).ToArray();
        var chart = Chart.Line<double, double, string>(x: lrs, y: lrs.Select(Math.Log10).ToArray(), Name: "loss")
            .WithXAxisStyle<double, double, string>(TitleText: "learning rate (log)", AxisType: StyleParam.AxisType.Log);

        var texts = Draw(chart).Elements(Svg + "text").Select(t => t.Value).ToList();

        Assert.Equal(["1e-5", "1e-4", "1e-3", "1e-2"], texts.Where(t => t.StartsWith("1e", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_chart_in_a_cell_carries_its_html_with_the_static_image_an_svg_and_plotlys_json()
    {
        using var kernel = new KernelHarness();
        KernelHarness.Succeeded(await kernel.LoadExtensionAsync());

        var result = await kernel.SubmitAsync("MultiLabel.Views.Plot.Line(new[] { 1.0, 2, 3 }, new[] { 1.0, 4, 9 }, \"x\", \"x²\")");

        KernelHarness.Succeeded(result);
        var values = result.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayEvent>().SelectMany(e => e.FormattedValues).ToDictionary(f => f.MimeType, f => f.Value);
        Assert.Equal(["text/html", "image/svg+xml", "application/vnd.plotly.v1+json", "text/plain"], values.Keys);
        var html = values["text/html"];
        var image = HtmlChecks.All(html, "div.ml-chart img.ml-static-chart").Single().GetAttribute("src")!;
        Assert.StartsWith("data:image/svg+xml;base64,", image);
        Assert.Equal(values["image/svg+xml"], System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(image["data:image/svg+xml;base64,".Length..])));
        Assert.Single(XElement.Parse(values["image/svg+xml"]).Elements(Svg + "polyline"));
        using var figure = JsonDocument.Parse(values["application/vnd.plotly.v1+json"]);
        Assert.Equal([1.0, 4, 9], figure.RootElement.GetProperty("data")[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("a chart", values["text/plain"]);
    }

    [Theory]
    [InlineData("/home/u/.dotnet/tools/dotnet-interactive|jupyter|--default-kernel|csharp|/run/kernel-1.json", true)]
    [InlineData("/root/.dotnet/tools/.store/microsoft.dotnet-interactive/1.0.712001/microsoft.dotnet-interactive/1.0.712001/tools/net10.0/any/Microsoft.DotNet.Interactive.App.dll|jupyter|--default-kernel|csharp|/tmp/tmps214000p.json|--http-port-range|2048-3000", true)] // as the kernel sees itself
    [InlineData("/x/tools/net10.0/any/Microsoft.DotNet.Interactive.App.dll|stdio|--default-kernel|csharp", false)] // VS Code
    [InlineData("/usr/share/dotnet/dotnet|testhost.dll|jupyter", false)]
    public void Plotlys_json_is_left_out_only_when_the_kernel_serves_jupyter(string commandLine, bool jupyter) =>
        Assert.Equal(jupyter, MultiLabel.Interactive.Formatting.FrontEnd.IsJupyterCommandLine(commandLine.Split('|')));
}
