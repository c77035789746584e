using MultiLabel.Vision.Schedules;

namespace MultiLabel.Vision.Training;

/// <summary>fastai's fine_tune: frozen one-cycle over <c>freezeEpochs</c> at slice(baseLr) with pct_start 0.99, then
/// baseLr /= 2, unfreeze, and one-cycle over <c>epochs</c> at slice(baseLr/lrMult, baseLr) with pctStart and div.
/// <c>frozenPctStart</c> (not in fastai, whose value is the default) lets the frozen fit anneal: with 0.99 it
/// ends at its highest rate, which small batches make noisy, so the head is validated at its noisiest.</summary>
public static class FineTuning
{
    /// <summary>Trains the head with the body frozen, then the whole model (fastai's <c>learn.fine_tune</c>).</summary>
    /// <param name="learn">The learner (frozen or not: it is frozen for the first phase).</param>
    /// <param name="epochs">Epochs of the unfrozen phase.</param>
    /// <param name="baseLr">The frozen phase's learning rate; the unfrozen phase peaks at half of it.</param>
    /// <param name="freezeEpochs">Epochs of the frozen phase (0 skips it).</param>
    /// <param name="lrMult">Ratio of the last group's learning rate to the first's once unfrozen.</param>
    /// <param name="pctStart">Warm-up fraction of the unfrozen phase.</param>
    /// <param name="div">The unfrozen phase starts at its peak divided by this.</param>
    /// <param name="cancellation">Stops between two batches (a cell's cancellation is used when none is given).</param>
    /// <param name="frozenPctStart">Warm-up fraction of the frozen phase.</param>
    public static void FineTune(this Learner learn, int epochs, double baseLr = 2e-3, int freezeEpochs = 1, double lrMult = 100,
        double pctStart = 0.3, double div = 5, CancellationToken cancellation = default, double frozenPctStart = 0.99)
    {
        if (epochs < 0 || freezeEpochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), "epochs and freezeEpochs must not be negative.");
        if (!(frozenPctStart is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(frozenPctStart), frozenPctStart, "frozenPctStart must be in (0, 1].");
        try
        {
            if (freezeEpochs > 0)
            {
                learn.Freeze();
                learn.Phase = "frozen";
                learn.FitOneCycle(freezeEpochs, LearningRates.Slice(baseLr), pctStart: frozenPctStart, cancellation: cancellation);
            }
            baseLr /= 2;
            learn.Unfreeze();
            learn.Phase = "unfrozen";
            if (epochs > 0)
                learn.FitOneCycle(epochs, LearningRates.Slice(baseLr / lrMult, baseLr), pctStart: pctStart, div: div, cancellation: cancellation);
        }
        finally
        {
            learn.Phase = null;
        }
    }
}
