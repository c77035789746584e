using System.Diagnostics;
using MultiLabel.Vision.Training;

namespace MultiLabel.Cli;

/// <summary>
/// Times the parts of each training step through the loop's own events (fastai's names): forward (before_batch →
/// after_pred), loss (→ after_loss: computing and reading it), backward (→ after_backward), the optimizer's step
/// (→ after_step) and the rest (zero_grad and the batch's last hooks, → after_batch). What the host-bound figure is made
/// of, printed beside PyTorch's same split.
/// </summary>
sealed class StepPhases : Callback
{
    /// <summary>The parts in the order the loop runs them.</summary>
    public static readonly string[] Names = ["forward", "loss", "backward", "step", "rest"];

    readonly List<double[]> recorded = [];
    readonly long[] marks = new long[Names.Length + 1];

    /// <summary>Whether steps are recorded (off during warm-up).</summary>
    public bool Recording { get; set; }

    /// <inheritdoc/>
    public override bool RunValid => false;

    /// <inheritdoc/>
    public override void BeforeBatch() => marks[0] = Stopwatch.GetTimestamp();
    /// <inheritdoc/>
    public override void AfterPred() => marks[1] = Stopwatch.GetTimestamp();
    /// <inheritdoc/>
    public override void AfterLoss() => marks[2] = Stopwatch.GetTimestamp();
    /// <inheritdoc/>
    public override void AfterBackward() => marks[3] = Stopwatch.GetTimestamp();
    /// <inheritdoc/>
    public override void AfterStep() => marks[4] = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public override void AfterBatch()
    {
        marks[5] = Stopwatch.GetTimestamp();
        if (Recording) recorded.Add(Enumerable.Range(0, Names.Length).Select(i => Stopwatch.GetElapsedTime(marks[i], marks[i + 1]).TotalMilliseconds).ToArray());
    }

    /// <summary>Each part's median over the recorded steps, as "forward 6.40 loss 0.10 … ms (medians of N)".</summary>
    public string Medians() =>
        string.Join(" ", Names.Select((name, i) => $"{name} {Median.Of(recorded.Select(r => r[i])).Median:F2}")) + $" ms (medians of {recorded.Count})";
}
