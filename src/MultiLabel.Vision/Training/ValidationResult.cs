using System.Globalization;

namespace MultiLabel.Vision.Training;

/// <summary>What fastai's <c>learn.validate()</c> returns: the validation loss, then each metric's value in the order of
/// <see cref="Learner.Metrics"/>. Deconstructs as <c>var (loss, metrics) = learn.Validate();</c>.</summary>
public sealed class ValidationResult(double loss, IReadOnlyList<(string Name, double Value)> metrics)
{
    /// <summary>The mean validation loss.</summary>
    public double Loss { get; } = loss;
    /// <summary>Each metric's name and value.</summary>
    public IReadOnlyList<(string Name, double Value)> Metrics { get; } = metrics;

    /// <summary>The value of the metric called <paramref name="metric"/>; an error listing the metrics otherwise.</summary>
    public double this[string metric] =>
        Metrics.FirstOrDefault(m => m.Name == metric) is { Name: not null } found ? found.Value
            : throw new KeyNotFoundException($"No metric '{metric}'; the learner has: {string.Join(", ", Metrics.Select(m => m.Name))}.");

    /// <summary><c>var (loss, metrics) = learn.Validate();</c></summary>
    public void Deconstruct(out double loss, out IReadOnlyList<double> metrics) => (loss, metrics) = (Loss, Metrics.Select(m => m.Value).ToList());

    /// <summary>As fastai prints it: <c>(#2) [0.1062, 0.9311]</c>.</summary>
    public override string ToString() =>
        $"(#{1 + Metrics.Count}) [{string.Join(", ", new[] { Loss }.Concat(Metrics.Select(m => m.Value)).Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)))}]";
}
