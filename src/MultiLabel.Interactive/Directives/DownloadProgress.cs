using MultiLabel.Views;
using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Interactive.Formatting;
using MultiLabel.Vision.Models.Pretrained;

namespace MultiLabel.Interactive.Directives;

/// <summary>A weights download in a cell: one bar, updated in place at most every half second and once at the end.</summary>
sealed class DownloadProgress : IProgress<(long Done, long? Total)>
{
    readonly DisplayedValue bar;
    readonly WeightsFile file;
    readonly Stopwatch sinceUpdate = Stopwatch.StartNew();

    DownloadProgress(KernelInvocationContext context, WeightsFile file)
    {
        this.file = file;
        bar = KernelInvocationContextExtensions.Display(context, new HtmlFragment(Bar(0, null)), "text/html");
    }

    /// <summary>For <see cref="TorchvisionWeights.DefaultProgress"/>: a bar in the running cell, none outside a cell.</summary>
    public static IProgress<(long Done, long? Total)>? ForCurrentCell(WeightsFile file) =>
        KernelInvocationContext.Current is { } context ? new DownloadProgress(context, file) : null;

    public void Report((long Done, long? Total) value)
    {
        bool finished = value.Total is { } total && value.Done >= total;
        if (!finished && sinceUpdate.Elapsed < TimeSpan.FromMilliseconds(500)) return;
        sinceUpdate.Restart();
        bar.Update(new HtmlFragment(Bar(value.Done, value.Total)));
    }

    string Bar(long done, long? total) =>
        HtmlBuilder.El("div", [("class", "ml-download"), ("style", "font:12px sans-serif")], $"downloading {file.Description}: ",
            HtmlBuilder.El("progress", [("value", HtmlBuilder.N(done)), ("max", HtmlBuilder.N(Math.Max(1, total ?? done))), ("style", "width:300px")]),
            " " + TorchvisionWeights.Describe(done, total)).Markup;
}
