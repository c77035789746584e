using MultiLabel.Vision.Schedules;

namespace MultiLabel.Vision.Training;

/// <summary>fastai's fine_tune: frozen one-cycle over <c>freezeEpochs</c> at slice(baseLr) with pct_start 0.99, then
/// baseLr /= 2, unfreeze, and one-cycle over <c>epochs</c> at slice(baseLr/lrMult, baseLr) with pctStart and div.</summary>
public static class FineTuning
{
    public static void FineTune(this Learner learn, int epochs, double baseLr = 2e-3, int freezeEpochs = 1, double lrMult = 100,
        double pctStart = 0.3, double div = 5, CancellationToken cancellation = default)
    {
        if (epochs < 0 || freezeEpochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), "epochs and freezeEpochs must not be negative.");
        try
        {
            if (freezeEpochs > 0)
            {
                learn.Freeze();
                learn.Phase = "frozen";
                learn.FitOneCycle(freezeEpochs, LearningRates.Slice(baseLr), pctStart: 0.99, cancellation: cancellation);
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
