namespace MultiLabel.Vision.Schedules;

/// <summary>fastai's schedule functions: small and pure.</summary>
public static class Schedule
{
    /// <summary>Cosine from <paramref name="start"/> to <paramref name="end"/>: start + (1 + cos(π(1 − p)))·(end − start)/2.</summary>
    public static double CosineAnneal(double start, double end, double pct) =>
        start + (1 + Math.Cos(Math.PI * (1 - pct))) * (end - start) / 2;

    /// <summary>Exponential from start to end (the learning-rate finder): start·(end/start)^p.</summary>
    public static double Exponential(double start, double end, double pct) => start * Math.Pow(end / start, pct);

    /// <summary>Two cosine phases joined at <paramref name="pctStart"/> (fastai's combined_cos).</summary>
    public static double CombinedCosine(double pctStart, double start, double middle, double end, double pct) =>
        pct < pctStart
            ? CosineAnneal(start, middle, pctStart <= 0 ? 1 : pct / pctStart)
            : CosineAnneal(middle, end, pctStart >= 1 ? 1 : (pct - pctStart) / (1 - pctStart));

    /// <summary>fit_one_cycle's learning rate at training progress <paramref name="pct"/>: from lrMax/div up to lrMax over
    /// pctStart, then down to lrMax/divFinal.</summary>
    public static double OneCycleLr(double lrMax, double pct, double div = 25, double divFinal = 1e5, double pctStart = 0.25) =>
        CombinedCosine(pctStart, lrMax / div, lrMax, lrMax / divFinal, pct);

    /// <summary>fit_one_cycle's momentum (Adam's beta1): 0.95 → 0.85 → 0.95, inversely to the learning rate.</summary>
    public static double OneCycleMomentum(double pct, double pctStart = 0.25, (double, double, double)? moms = null)
    {
        var (a, b, c) = moms ?? (0.95, 0.85, 0.95);
        return CombinedCosine(pctStart, a, b, c, pct);
    }
}
