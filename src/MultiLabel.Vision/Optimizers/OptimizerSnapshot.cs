using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>Adam's state for one flat buffer of <see cref="Adam"/> (or one parameter of a per-parameter optimizer): the running
/// averages of the gradient and of its square (null before the first step) and the step count.</summary>
public sealed record AdamMoments(Tensor? GradAvg, Tensor? SqrAvg, int Step);

/// <summary>
/// A copy of an optimizer's state (what the learning-rate finder puts back after its sweep). It holds its own tensors
/// until disposed; restoring copies them again, so one snapshot can be restored more than once. Only the optimizer that
/// took it can restore it.
/// </summary>
public sealed class OptimizerSnapshot : IDisposable
{
    internal OptimizerSnapshot(IOptimizer owner, IReadOnlyList<AdamMoments> moments)
    {
        Owner = owner;
        Moments = moments;
    }

    internal IOptimizer Owner { get; }

    /// <summary>One entry per parameter (or flat buffer), in the optimizer's order.</summary>
    public IReadOnlyList<AdamMoments> Moments { get; }

    /// <summary>Copies of <paramref name="moments"/>' tensors, outside any dispose scope.</summary>
    internal static AdamMoments Copy(AdamMoments moments) =>
        new(moments.GradAvg?.clone().DetachFromDisposeScope(), moments.SqrAvg?.clone().DetachFromDisposeScope(), moments.Step);

    internal void CheckOwner(IOptimizer optimizer)
    {
        if (!ReferenceEquals(Owner, optimizer))
            throw new ArgumentException("This snapshot was taken from another optimizer (freezing or converting the model makes a new one).");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var m in Moments)
        {
            m.GradAvg?.Dispose();
            m.SqrAvg?.Dispose();
        }
    }
}
