using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Progress;

/// <summary>
/// fastai's progress callback for plain calls in a cell: <c>learn.FineTune(3)</c> or <c>learn.FitOneCycle(1)</c> shows the
/// live bar, epoch table and loss curve that the magic commands show. One display per learner and cell (fine_tune's two
/// fits share it), removed from the learner's events when the cell completes. The learning-rate finder and fits started
/// by a magic command (which shows its own) are left alone.
/// </summary>
sealed class LiveProgress : Callback
{
    // Which learners already show progress in which cell: the magic commands register here too.
    static readonly ConditionalWeakTable<KernelInvocationContext, HashSet<Learner>> Shown = new();

    /// <summary>Marks <paramref name="learn"/> as showing progress in <paramref name="context"/>; false if it already does.</summary>
    public static bool TryClaim(KernelInvocationContext context, Learner learn)
    {
        var set = Shown.GetOrCreateValue(context);
        lock (set) return set.Add(learn);
    }

    public override void BeforeFit()
    {
        if (KernelInvocationContext.Current is not { } context) return; // not in a kernel cell (a test, a console)
        if (Learner.Callbacks.Any(c => c is LrFinderCallback)) return;
        if (!TryClaim(context, Learner)) return;
        var progress = new TrainingProgress(context, Learner, Learner.Phase is null ? "fit" : "fine_tune");
        context.OnComplete(_ => progress.Dispose());
    }
}
