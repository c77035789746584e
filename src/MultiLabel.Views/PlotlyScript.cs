namespace MultiLabel.Views;

/// <summary>
/// plotly.js as Plotly.NET bundles it (an embedded resource), so charts render with no network.
/// The script is wrapped so that it defines window.Plotly even where require.js is present (classic Jupyter).
/// </summary>
static class PlotlyScript
{
    static readonly Lazy<string> Source = new(Load);

    public static string Version { get; private set; } = "";

    /// <summary>A &lt;script&gt; element that defines window.Plotly unless it is already defined.</summary>
    public static string InlineTag() => Source.Value;

    static string Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} carries no plotly.js resource; cannot render charts offline.");
        Version = name["Plotly.NET.plotly-".Length..^".min.js".Length];
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // "</script" inside the library would end the element early.
        var js = reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return "<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined') {" +
               "var __mlDefine = window.define; window.define = undefined;\n" + js +
               "\nwindow.define = __mlDefine; }</script>";
    }
}
