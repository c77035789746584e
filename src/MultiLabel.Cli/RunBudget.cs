using System.Diagnostics;

namespace MultiLabel.Cli;

/// <summary>A benchmark's time budget: each measurement asks before it starts, and once the budget is spent the rest is
/// skipped with a line saying what, so a slow machine still gets through to the peer's side and the ratios.</summary>
sealed class RunBudget(TimeSpan limit)
{
    readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Whether <paramref name="what"/> may start; prints "skipped …" when not.</summary>
    public bool Allows(string what)
    {
        if (clock.Elapsed < limit) return true;
        Console.WriteLine($"skipped {what}: the run's budget of {this} is spent");
        return false;
    }

    /// <summary>"45 min".</summary>
    public override string ToString() => FormattableString.Invariant($"{limit.TotalMinutes:0.##} min");
}
