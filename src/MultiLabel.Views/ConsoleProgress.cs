using System.Globalization;
using MultiLabel.Vision.Training;

namespace MultiLabel.Views;

/// <summary>
/// fastai's progress bar for programs: in a terminal a live bar (batch, smoothed loss) rewritten in place, and the
/// epoch table's rows as they come; with the output redirected (a log, CI) only the rows, as plain lines.
/// </summary>
public sealed class ConsoleProgress(TextWriter? output = null, bool? live = null) : Callback
{
    readonly TextWriter output = output ?? Console.Out;
    readonly bool live = live ?? !Console.IsOutputRedirected;
    bool headerWritten;
    DateTime lastDraw;

    /// <inheritdoc/>
    public override int Order => 60; // after the recorder has recorded the batch or epoch
    /// <summary>The bar follows training batches; validation shows in the epoch's row.</summary>
    public override bool RunValid => false;

    /// <inheritdoc/>
    public override void BeforeFit()
    {
        headerWritten = false;
        if (Learner.Callbacks.Any(c => c is LrFinderCallback)) output.WriteLine("lr_find …");
    }

    /// <inheritdoc/>
    public override void AfterBatch()
    {
        if (!live || Learner.Recorder.Batches.Count == 0) return;
        if ((DateTime.UtcNow - lastDraw).TotalMilliseconds < 200 && Learner.BatchIndex + 1 < Learner.BatchesPerEpoch) return;
        lastDraw = DateTime.UtcNow;
        var b = Learner.Recorder.Batches[^1];
        int width = 30, done = (int)Math.Round(width * (b.BatchIndex + 1.0) / b.BatchesPerEpoch);
        output.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r{Learner.Phase ?? "fit"} epoch {b.Epoch} [{new string('#', done)}{new string('.', width - done)}] {b.BatchIndex + 1}/{b.BatchesPerEpoch} loss {b.SmoothLoss:0.0000}   "));
    }

    /// <inheritdoc/>
    public override void AfterEpoch()
    {
        if (Learner.Callbacks.Any(c => c is LrFinderCallback) || Learner.Recorder.Epochs.Count == 0) return;
        var row = EpochTable.Of([Learner.Recorder.Epochs[^1]], Learner.Recorder.MetricNames);
        if (live) output.Write("\r" + new string(' ', 100) + "\r");
        if (!headerWritten)
        {
            output.WriteLine(row.HeaderLine());
            headerWritten = true;
        }
        output.WriteLine(row.Line(0));
        output.Flush();
    }
}
