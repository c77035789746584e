using MultiLabel.Vision.Training;
using Xunit;

namespace MultiLabel.Vision.Tests.Training;

public sealed class LrSuggestionsTests
{
    static readonly double[] Lrs = Enumerable.Range(0, 8).Select(i => Math.Pow(10, i - 6)).ToArray();
    static readonly double[] Losses = [3.0, 2.5, 2.0, 1.5, 1.0, 0.8, 1.2, 2.0];

    [Fact]
    public void Valley_follows_fastais_longest_decrease_and_index_rule()
    {
        // losses fall over indices 0..5: lds[5] = 6, max_start = 5 − 6 = −1, sections = 2, idx = −1 + 2 + 1 = 2
        var valley = LrSuggestions.Valley(Lrs, Losses);
        Assert.Equal(Lrs[2], valley.LearningRate);
        Assert.Equal(2.0, valley.MarkLoss);
    }

    [Fact]
    public void Minimum_is_a_tenth_of_the_lowest_losss_lr()
    {
        var minimum = LrSuggestions.Minimum(Lrs, Losses);
        Assert.Equal(Lrs[5] / 10, minimum.LearningRate, 15);
        Assert.Equal(Lrs[5], minimum.MarkLr);
    }

    [Fact]
    public void Steep_is_where_the_loss_falls_fastest_per_log_lr()
    {
        // differences −0.5 ×4 then −0.2, +0.4, +0.8 per decade: the first −0.5 wins
        Assert.Equal(Lrs[0], LrSuggestions.Steep(Lrs, Losses).LearningRate);
    }

    [Fact]
    public void Slide_walks_left_while_the_gradient_changes()
    {
        // np.gradient = [−.5, −.5, −.5, −.5, −.35, .1, .6, .8]; with lr_diff 2 the walk stops when |g[3] − g[1]| = 0
        var slide = LrSuggestions.Slide(Lrs, Losses, lrDiff: 2);
        Assert.Equal(Lrs[2], slide.LearningRate, 15);
        Assert.Equal([-0.5, -0.5, -0.5, -0.5, -0.35, 0.1, 0.6, 0.8], LrSuggestions.Gradient(Losses).Select(v => Math.Round(v, 10)));
    }

    [Fact]
    public void The_window_skips_the_first_tenth_and_last_five_and_stops_at_nan()
    {
        var lrs = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(1e8, i / 100.0)).ToList();
        var losses = Enumerable.Range(0, 100).Select(i => i == 60 ? double.NaN : 10.0 - i * 0.05).ToList();

        var (l, s) = LrSuggestions.Window(lrs, losses, numIt: 100);
        var result = LrFinder.Result(lrs, losses, 100);

        Assert.Equal(50, s.Length); // indices 10..59
        Assert.Equal(lrs[10], l[0]);
        Assert.All(result.Suggestions, x => Assert.True(double.IsFinite(x.LearningRate), x.Name));
    }
}
