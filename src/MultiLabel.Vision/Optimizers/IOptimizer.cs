using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>What the Learner needs from an optimizer: groups with schedulable hyper-parameters, a step, zeroing, and a
/// snapshot of its state (the learning-rate finder restores it).</summary>
public interface IOptimizer : IDisposable
{
    IReadOnlyList<ParameterGroup> Groups { get; }
    double WeightDecay { get; set; }
    void Step();
    void ZeroGrad();
    /// <summary>Number of parameters (or flat buffers) with running averages.</summary>
    int StateCount { get; }
    /// <summary>A copy of the running averages and step counts.</summary>
    OptimizerSnapshot Snapshot();
    /// <summary>Puts a copy of <paramref name="snapshot"/>'s state back (it must come from this optimizer).</summary>
    void Restore(OptimizerSnapshot snapshot);
}
