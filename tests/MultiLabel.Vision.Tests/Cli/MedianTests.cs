using MultiLabel.Cli;
using Xunit;

namespace MultiLabel.Vision.Tests.Cli;

/// <summary>The median every benchmark figure is, computed as Python's statistics.median on PyTorch's side.</summary>
public sealed class MedianTests
{
    [Fact]
    public void An_odd_count_gives_the_middle_value_and_an_even_count_the_mean_of_the_two_middle_ones()
    {
        Assert.Equal((3.0, 1.0, 9.0), Median.Of([9, 1, 3]));
        Assert.Equal((2.5, 1.0, 9.0), Median.Of([9, 2, 1, 3]));
        Assert.Equal((59.0, 58.0, 60.0), Median.Of([60, 58])); // two epochs: their mean, not the slower one
    }

    [Fact]
    public void No_values_give_no_figure()
    {
        var (median, min, max) = Median.Of([]);
        Assert.True(double.IsNaN(median) && double.IsNaN(min) && double.IsNaN(max));
    }
}
