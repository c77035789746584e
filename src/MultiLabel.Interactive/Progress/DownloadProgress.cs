using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Views;
using MultiLabel.Vision.Downloads;

namespace MultiLabel.Interactive.Progress;

/// <summary>A download (weights or data) in a cell: one bar, updated in place at most every half second and once at the end.</summary>
sealed class DownloadProgress : IProgress<(long Done, long? Total)>
{
    readonly DisplayedValue bar;
    readonly string description;
    readonly Stopwatch sinceUpdate = Stopwatch.StartNew();

    DownloadProgress(KernelInvocationContext context, string description)
    {
        this.description = description;
        bar = KernelInvocationContextExtensions.Display(context, Bar(0, null), "text/html");
    }

    /// <summary>For <see cref="Downloader.DefaultProgress"/>: a bar in the running cell, none outside a cell.</summary>
    public static IProgress<(long Done, long? Total)>? ForCurrentCell(string description) =>
        KernelInvocationContext.Current is { } context ? new DownloadProgress(context, description) : null;

    public void Report((long Done, long? Total) value)
    {
        bool finished = value.Total is { } total && value.Done >= total;
        if (!finished && sinceUpdate.Elapsed < TimeSpan.FromMilliseconds(500)) return;
        sinceUpdate.Restart();
        bar.Update(Bar(value.Done, value.Total));
    }

    HtmlFragment Bar(long done, long? total) =>
        ProgressBarHtml.Render("ml-download", $"downloading {description}: ", done, total ?? done, Downloader.Describe(done, total));
}
