using MultiLabel.Views;
using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Interactive.Formatting;
using MultiLabel.Vision.Downloads;

namespace MultiLabel.Interactive.Directives;

/// <summary>A download (weights or data) in a cell: one bar, updated in place at most every half second and once at the end.</summary>
sealed class DownloadProgress : IProgress<(long Done, long? Total)>
{
    readonly DisplayedValue bar;
    readonly string description;
    readonly Stopwatch sinceUpdate = Stopwatch.StartNew();

    DownloadProgress(KernelInvocationContext context, string description)
    {
        this.description = description;
        bar = KernelInvocationContextExtensions.Display(context, new HtmlFragment(Bar(0, null)), "text/html");
    }

    /// <summary>For <see cref="Downloader.DefaultProgress"/>: a bar in the running cell, none outside a cell.</summary>
    public static IProgress<(long Done, long? Total)>? ForCurrentCell(string description) =>
        KernelInvocationContext.Current is { } context ? new DownloadProgress(context, description) : null;

    public void Report((long Done, long? Total) value)
    {
        bool finished = value.Total is { } total && value.Done >= total;
        if (!finished && sinceUpdate.Elapsed < TimeSpan.FromMilliseconds(500)) return;
        sinceUpdate.Restart();
        bar.Update(new HtmlFragment(Bar(value.Done, value.Total)));
    }

    string Bar(long done, long? total) =>
        HtmlBuilder.El("div", [("class", "ml-download"), ("style", "font:12px sans-serif")], $"downloading {description}: ",
            HtmlBuilder.El("progress", [("value", HtmlBuilder.N(done)), ("max", HtmlBuilder.N(Math.Max(1, total ?? done))), ("style", "width:300px")]),
            " " + Downloader.Describe(done, total)).Markup;
}
