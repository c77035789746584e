using MultiLabel.Vision.Schedules;
using Xunit;

namespace MultiLabel.Vision.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void One_cycle_learning_rate_at_given_positions()
    {
        const double max = 1e-2;
        Assert.Equal(max / 25, Schedule.OneCycleLr(max, 0), 12);
        Assert.Equal(max / 25 + (max - max / 25) / 2, Schedule.OneCycleLr(max, 0.125), 12); // half-way up: cos(π/2) = 0
        Assert.Equal(max, Schedule.OneCycleLr(max, 0.25), 12);
        Assert.Equal(max + (max / 1e5 - max) / 2, Schedule.OneCycleLr(max, 0.625), 12);     // half-way down
        Assert.Equal(max / 1e5, Schedule.OneCycleLr(max, 1), 12);
    }

    [Fact]
    public void One_cycle_momentum_goes_095_085_095()
    {
        Assert.Equal(0.95, Schedule.OneCycleMomentum(0), 12);
        Assert.Equal(0.90, Schedule.OneCycleMomentum(0.125), 12);
        Assert.Equal(0.85, Schedule.OneCycleMomentum(0.25), 12);
        Assert.Equal(0.90, Schedule.OneCycleMomentum(0.625), 12);
        Assert.Equal(0.95, Schedule.OneCycleMomentum(1), 12);
    }

    [Fact]
    public void Cosine_anneal_is_fastais_formula()
    {
        // start + (1 + cos(π(1 − p)))·(end − start)/2 at p = 1/3: (1 + cos(2π/3))/2 = 0.25
        Assert.Equal(1 + 0.25 * 9, Schedule.CosineAnneal(1, 10, 1.0 / 3), 12);
    }

    [Fact]
    public void Slices_spread_learning_rates_over_groups()
    {
        Assert.Equal([1e-4, 1e-4, 1e-3], LearningRates.Slice(1e-3).For(3));
        Assert.Equal([1e-5, 1e-4, 1e-3], LearningRates.Slice(1e-5, 1e-3).For(3).Select(v => Math.Round(v, 12)));
        Assert.Equal([3e-3, 3e-3, 3e-3], ((LearningRates)3e-3).For(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRates.Slice(1e-2, 1e-3));
    }
}
