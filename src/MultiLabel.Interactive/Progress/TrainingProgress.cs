using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Views;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Progress;

/// <summary>
/// Live training output for a notebook: a progress bar over batches, the epoch table and the Plotly loss curve,
/// each one display updated in place (same display id). The bar is updated at most once every <see cref="Interval"/>;
/// the table and the curve once per epoch, so a notebook does not receive thousands of messages.
/// </summary>
sealed class TrainingProgress : IDisposable
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    readonly Learner learn;
    readonly DisplayedValue bar, table, chart;
    readonly Stopwatch sinceUpdate = Stopwatch.StartNew();
    readonly string command;
    readonly CancellationTokenRegistration onCancel;

    /// <summary>Shows the bar, the epoch table and the loss curve in <paramref name="context"/>'s cell and follows
    /// <paramref name="learn"/>'s recorder; <paramref name="command"/> (fine_tune, fit_one_cycle, fit) labels the bar.</summary>
    public TrainingProgress(KernelInvocationContext context, Learner learn, string command)
    {
        (this.learn, this.command) = (learn, command);
        LiveProgress.TryClaim(context, learn); // a magic command's own display: the plain-call one stays away
        if (ChartHtml.TakeLibrary() is { Length: > 0 } library)
            KernelInvocationContextExtensions.Display(context, new HtmlFragment(library), "text/html");
        bar = KernelInvocationContextExtensions.Display(context, Bar(0, learn.Dls.Train.Count, 0, "starting"), "text/html");
        table = KernelInvocationContextExtensions.Display(context, new HtmlFragment(ObjectHtml.EpochTable(learn.Recorder).Markup), "text/html");
        chart = KernelInvocationContextExtensions.Display(context, new HtmlFragment(HtmlBuilder.El("div", [("class", "ml-loss-pending")], "the loss curve appears after the first batches").Markup), "text/html");
        learn.Recorder.BatchRecorded += OnBatch;
        learn.Recorder.EpochRecorded += OnEpoch;
        // Shown the moment the cell is cancelled: the kernel may stop listening to this cell before the loop stops.
        onCancel = context.CancellationToken.Register(() =>
            bar.Update(Bar(learn.BatchIndex, learn.BatchesPerEpoch, learn.Epoch, $"interrupted at epoch {learn.Epoch}, batch {learn.BatchIndex}: stopping after this batch")));
    }

    /// <summary>Runs <paramref name="training"/>; when it is interrupted the bar says where, and the exception goes on.</summary>
    public void Run(Action training)
    {
        try
        {
            training();
        }
        catch (TrainingInterruptedException e)
        {
            bar.Update(Bar(e.Batch, e.Batches, e.Epoch, $"interrupted at epoch {e.Epoch}, batch {e.Batch} ({e.Stage})"));
            throw;
        }
    }

    public int Updates { get; private set; }

    void OnBatch(BatchRecord b)
    {
        if (sinceUpdate.Elapsed < Interval) return;
        sinceUpdate.Restart();
        bar.Update(Bar(b.BatchIndex + 1, b.BatchesPerEpoch, b.Epoch, $"loss {b.SmoothLoss.ToString("0.0000", CultureInfo.InvariantCulture)}"));
        Updates++;
    }

    void OnEpoch(EpochRecord e)
    {
        sinceUpdate.Restart();
        bar.Update(Bar(learn.Dls.Train.Count, learn.Dls.Train.Count, e.Epoch, "epoch done"));
        table.Update(new HtmlFragment(ObjectHtml.EpochTable(learn.Recorder).Markup));
        chart.Update(new HtmlFragment(ChartHtml.Render(TrainingCharts.Loss(learn.Recorder.Batches, learn.Recorder.Epochs))));
        Updates += 3;
    }

    HtmlFragment Bar(int done, int total, int epoch, string note) =>
        ProgressBarHtml.Render("ml-progress", $"{command} epoch {epoch}: ", done, total, $"{done}/{total} {note}");

    public void Dispose()
    {
        onCancel.Dispose();
        learn.Recorder.BatchRecorded -= OnBatch;
        learn.Recorder.EpochRecorded -= OnEpoch;
    }
}
