namespace MultiLabel.Vision.Training;

/// <summary>The learning-rate finder's curve and suggestions (valley is fastai's default).</summary>
public sealed record LrFindResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses, IReadOnlyList<LrSuggestion> Suggestions)
{
    /// <summary>fastai's default suggestion: the middle of the longest stretch where the loss falls.</summary>
    public LrSuggestion Valley => Suggestions.Single(s => s.Name == "valley");
    /// <summary>fastai's <c>slide</c>: before the loss starts to rise, allowing some noise.</summary>
    public LrSuggestion Slide => Suggestions.Single(s => s.Name == "slide");
    /// <summary>A tenth of the rate at the lowest smoothed loss.</summary>
    public LrSuggestion Minimum => Suggestions.Single(s => s.Name == "minimum");
    /// <summary>Where the loss falls fastest.</summary>
    public LrSuggestion Steep => Suggestions.Single(s => s.Name == "steep");

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", Suggestions.Select(s => $"{s.Name} {s.LearningRate:G3}"));
}

/// <summary>Exponential sweep of the learning rate over training batches, no validation; stops at num_it or when the
/// smoothed loss exceeds 4× its best (stopDiv).</summary>
public sealed class LrFinderCallback(double startLr, double endLr, int numIt, bool stopDiv) : Callback
{
    double best = double.PositiveInfinity;
    /// <summary>The learning rate of each batch so far.</summary>
    public List<double> Lrs { get; } = [];
    /// <summary>The smoothed loss of each batch so far.</summary>
    public List<double> Losses { get; } = [];
    /// <inheritdoc/>
    public override int Order => 60;
    /// <summary>Acts on training batches only; validation is cancelled outright (<see cref="BeforeValidate"/>).</summary>
    public override bool RunValid => false;

    /// <inheritdoc/>
    public override void BeforeBatch()
    {
        double lr = Schedules.Schedule.Exponential(startLr, endLr, (double)Learner.Iteration / numIt);
        foreach (var g in Learner.Groups) g.LearningRate = lr;
    }

    /// <inheritdoc/>
    public override void AfterBatch()
    {
        double smooth = Learner.Recorder.SmoothLoss;
        Lrs.Add(Learner.Groups[^1].LearningRate);
        Losses.Add(smooth);
        if (smooth < best) best = smooth;
        if ((stopDiv && smooth > 4 * best) || double.IsNaN(smooth)) throw new CancelFitException();
        if (Learner.Iteration + 1 >= numIt) throw new CancelFitException();
    }

    /// <inheritdoc/>
    public override void BeforeValidate() => throw new CancelValidException();
}

/// <summary>lr_find: sweeps, then restores the model's weights, the optimizer's state and the recorder, so it can run
/// before or after training without changing anything.</summary>
public static class LrFinder
{
    /// <summary>Trains with a learning rate rising exponentially from <paramref name="startLr"/> to <paramref name="endLr"/>
    /// over at most <paramref name="numIt"/> batches and returns the loss curve with suggested rates (fastai's
    /// <c>learn.lr_find()</c>); the learner is left as it was.</summary>
    /// <param name="learn">The learner.</param>
    /// <param name="startLr">The first learning rate.</param>
    /// <param name="endLr">The last learning rate.</param>
    /// <param name="numIt">Batches to run at most (at least 10).</param>
    /// <param name="stopDiv">Stop once the smoothed loss exceeds four times its best.</param>
    /// <param name="cancellation">Stops between two batches; the learner is restored all the same.</param>
    public static LrFindResult LrFind(this Learner learn, double startLr = 1e-7, double endLr = 10, int numIt = 100, bool stopDiv = true, CancellationToken cancellation = default)
    {
        if (!(startLr > 0 && endLr > startLr)) throw new ArgumentOutOfRangeException(nameof(startLr), $"lr_find needs 0 < startLr < endLr, got {startLr}, {endLr}.");
        if (numIt < 10) throw new ArgumentOutOfRangeException(nameof(numIt), numIt, "numIt must be at least 10.");
        using var exclusive = learn.Exclusive(); // the restore below belongs to this sweep, not to a loop that starts meanwhile
        using var weights = learn.CopyWeights();
        using var optimizerState = learn.Optimizer.Snapshot();
        var rates = learn.Groups.Select(g => (g.LearningRate, g.Momentum)).ToList();
        int batches = learn.Recorder.Batches.Count, epochsRecorded = learn.Recorder.Epochs.Count;
        var finder = new LrFinderCallback(startLr, endLr, numIt, stopDiv);
        try
        {
            int epochs = (int)Math.Ceiling((double)numIt / Math.Max(1, learn.Dls.Train.Count));
            learn.Fit(epochs, null, [finder], cancellation);
        }
        finally
        {
            learn.RestoreWeights(weights);
            learn.Optimizer.Restore(optimizerState);
            for (int i = 0; i < rates.Count; i++) (learn.Groups[i].LearningRate, learn.Groups[i].Momentum) = rates[i];
            learn.Recorder.TruncateTo(batches, epochsRecorded);
        }
        return Result(finder.Lrs, finder.Losses, numIt);
    }

    /// <summary>The suggestions for a recorded curve (exposed for tests on fixed curves).</summary>
    public static LrFindResult Result(IReadOnlyList<double> lrs, IReadOnlyList<double> losses, int numIt)
    {
        var (l, s) = LrSuggestions.Window(lrs, losses, numIt);
        return new LrFindResult(lrs.ToList(), losses.ToList(),
            [LrSuggestions.Valley(l, s), LrSuggestions.Slide(l, s), LrSuggestions.Minimum(l, s), LrSuggestions.Steep(l, s)]);
    }
}
