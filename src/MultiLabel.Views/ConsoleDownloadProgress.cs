using System.Diagnostics;
using System.Globalization;
using MultiLabel.Vision.Downloads;

namespace MultiLabel.Views;

/// <summary>
/// A download's progress for programs, on standard error: in a terminal one line rewritten in place; with the output
/// redirected (a log, CI) one summary line when the download ends, so a log is not filled with progress.
/// <c>Downloader.DefaultProgress = ConsoleDownloadProgress.For;</c> makes every download of the program report this way.
/// </summary>
public sealed class ConsoleDownloadProgress(string description, TextWriter? output = null, bool? live = null) : IProgress<(long Done, long? Total)>
{
    readonly TextWriter output = output ?? Console.Error;
    readonly bool live = live ?? !Console.IsErrorRedirected;
    readonly Stopwatch elapsed = Stopwatch.StartNew();
    DateTime lastDraw;
    bool finished;

    /// <summary>For <see cref="Downloader.DefaultProgress"/>.</summary>
    public static IProgress<(long Done, long? Total)> For(string description) => new ConsoleDownloadProgress(description);

    /// <inheritdoc/>
    public void Report((long Done, long? Total) value)
    {
        if (finished) return;
        bool complete = value.Total is { } total && value.Done >= total;
        if (live && (complete || (DateTime.UtcNow - lastDraw).TotalMilliseconds >= 200))
        {
            lastDraw = DateTime.UtcNow;
            output.Write($"\rdownloading {description}: {Downloader.Describe(value.Done, value.Total)}   ");
        }
        if (!complete) return;
        finished = true;
        var seconds = elapsed.Elapsed.TotalSeconds;
        output.WriteLine(live ? "" : string.Create(CultureInfo.InvariantCulture,
            $"downloaded {description}: {Downloader.Describe(value.Done, null)} in {seconds:0.0} s ({value.Done / 1e6 / Math.Max(seconds, 1e-3):0.0} MB/s)"));
        output.Flush();
    }
}
