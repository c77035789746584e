namespace MultiLabel.Vision.Training;

/// <summary>A suggested learning rate and the point on the curve it marks.</summary>
public sealed record LrSuggestion(string Name, double LearningRate, double MarkLr, double MarkLoss);

/// <summary>fastai's learning-rate suggestions, computed on the curve between num_it/10 and the last 5 points and cut at
/// the first NaN: valley (the default), slide, minimum and steep.</summary>
public static class LrSuggestions
{
    /// <summary>The part of the recorded curve the suggestions use: [numIt/10 .. count−5), up to the first NaN.</summary>
    public static (double[] Lrs, double[] Losses) Window(IReadOnlyList<double> lrs, IReadOnlyList<double> losses, int numIt)
    {
        int start = numIt / 10, end = Math.Max(start, lrs.Count - 5);
        var l = lrs.Skip(start).Take(end - start).ToArray();
        var s = losses.Skip(start).Take(end - start).ToArray();
        int nan = Array.FindIndex(s, double.IsNaN);
        return nan >= 0 ? (l[..nan], s[..nan]) : (l, s);
    }

    /// <summary>Longest run of decreasing losses (fastai's valley); the lr about halfway along it (a third of its length plus
    /// a sixth, whole steps each, as fastai computes it).</summary>
    public static LrSuggestion Valley(double[] lrs, double[] losses)
    {
        int n = losses.Length;
        if (n == 0) return Empty("valley");
        var lds = Enumerable.Repeat(1, n).ToArray();
        int maxStart = 0, maxEnd = 0;
        for (int i = 1; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
                if (lds[maxEnd] < lds[i]) { maxEnd = i; maxStart = maxEnd - lds[maxEnd]; }
            }
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = maxStart + (int)sections + (int)(sections / 2);
        idx = Math.Clamp(idx, 0, n - 1);
        return new("valley", lrs[idx], lrs[idx], losses[idx]);
    }

    /// <summary>fastai's slide: walk left from the end while the loss gradient keeps changing by more than thresh.</summary>
    public static LrSuggestion Slide(double[] lrs, double[] losses, int lrDiff = 15, double thresh = 0.005, double adjustValue = 1)
    {
        int n = losses.Length;
        if (n < 2) return Empty("slide");
        var grad = Gradient(losses);
        int r = n - 1, l = r - lrDiff;
        double local = lrs[Math.Max(0, l)];
        while (l >= 0 && Math.Abs(grad[r] - grad[l]) > thresh)
        {
            local = lrs[l];
            r--;
            l--;
        }
        double suggestion = local * adjustValue;
        return new("slide", suggestion, suggestion, Interpolate(Math.Log10(suggestion), lrs.Select(Math.Log10).ToArray(), losses));
    }

    /// <summary>fastai's minimum: a tenth of the lr at the lowest loss.</summary>
    public static LrSuggestion Minimum(double[] lrs, double[] losses)
    {
        if (losses.Length == 0) return Empty("minimum");
        int i = Array.IndexOf(losses, losses.Min());
        return new("minimum", lrs[i] / 10, lrs[i], losses[i]);
    }

    /// <summary>fastai's steep: the lr where the loss falls fastest against log(lr).</summary>
    public static LrSuggestion Steep(double[] lrs, double[] losses)
    {
        if (losses.Length < 2) return Empty("steep");
        int best = 0;
        double steepest = double.PositiveInfinity;
        for (int i = 0; i < losses.Length - 1; i++)
        {
            double g = (losses[i + 1] - losses[i]) / (Math.Log(lrs[i + 1]) - Math.Log(lrs[i]));
            if (g < steepest) (steepest, best) = (g, i);
        }
        return new("steep", lrs[best], lrs[best], losses[best]);
    }

    /// <summary>numpy.gradient: central differences inside, one-sided at the ends.</summary>
    public static double[] Gradient(double[] y)
    {
        int n = y.Length;
        var g = new double[n];
        if (n == 1) return g;
        g[0] = y[1] - y[0];
        g[n - 1] = y[n - 1] - y[n - 2];
        for (int i = 1; i < n - 1; i++) g[i] = (y[i + 1] - y[i - 1]) / 2;
        return g;
    }

    static double Interpolate(double x, double[] xs, double[] ys)
    {
        if (x <= xs[0]) return ys[0];
        for (int i = 1; i < xs.Length; i++)
            if (x <= xs[i]) return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
        return ys[^1];
    }

    static LrSuggestion Empty(string name) => new(name, double.NaN, double.NaN, double.NaN);
}
