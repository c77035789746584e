using MultiLabel.Vision.Schedules;

namespace MultiLabel.Vision.Training;

/// <summary>Sets every group's learning rate and momentum before each batch from the one-cycle schedule
/// (fastai's ParamScheduler with combined cosines), computed from training progress over the whole fit.</summary>
public sealed class OneCycleScheduler(LearningRates lrMax, double div, double divFinal, double pctStart, (double, double, double) moms) : Callback
{
    double[] peaks = [];
    /// <inheritdoc/>
    public override int Order => 60;
    /// <summary>Schedules training batches only (fastai's ParamScheduler: <c>run_valid = False</c>).</summary>
    public override bool RunValid => false;

    /// <inheritdoc/>
    public override void BeforeFit() => peaks = lrMax.For(Learner.Groups.Count);

    /// <inheritdoc/>
    public override void BeforeBatch()
    {
        double pct = (double)Learner.Iteration / Learner.TotalIterations;
        double mom = Schedule.OneCycleMomentum(pct, pctStart, moms);
        for (int i = 0; i < peaks.Length; i++)
        {
            Learner.Groups[i].LearningRate = Schedule.OneCycleLr(peaks[i], pct, div, divFinal, pctStart);
            Learner.Groups[i].Momentum = mom;
        }
    }
}

/// <summary>fit_one_cycle: fastai's defaults div 25, div_final 1e5, pct_start 0.25, moms (0.95, 0.85, 0.95).</summary>
public static class OneCycle
{
    /// <summary>Trains for <paramref name="epochs"/> with the one-cycle policy (fastai's <c>learn.fit_one_cycle</c>).</summary>
    /// <param name="learn">The learner.</param>
    /// <param name="epochs">Epochs to train.</param>
    /// <param name="lrMax">The peak learning rate: one value, or a <see cref="LearningRates.Slice(double, double)"/> over groups (default 1e-3).</param>
    /// <param name="div">The cycle starts at the peak divided by this.</param>
    /// <param name="divFinal">The cycle ends at the peak divided by this.</param>
    /// <param name="pctStart">Fraction of the cycle spent warming up.</param>
    /// <param name="moms">Momentum at the start, the peak and the end.</param>
    /// <param name="weightDecay">When set, replaces the learner's weight decay.</param>
    /// <param name="cancellation">Stops between two batches (a cell's cancellation is used when none is given).</param>
    public static void FitOneCycle(this Learner learn, int epochs, LearningRates? lrMax = null, double div = 25, double divFinal = 1e5,
        double pctStart = 0.25, (double, double, double)? moms = null, double? weightDecay = null, CancellationToken cancellation = default)
    {
        if (weightDecay is { } wd) learn.WeightDecay = learn.Optimizer.WeightDecay = wd;
        var scheduler = new OneCycleScheduler(lrMax ?? 1e-3, div, divFinal, pctStart, moms ?? (0.95, 0.85, 0.95));
        learn.Fit(epochs, null, [scheduler], cancellation);
    }
}
