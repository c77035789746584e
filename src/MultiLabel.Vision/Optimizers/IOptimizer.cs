namespace MultiLabel.Vision.Optimizers;

/// <summary>What the Learner needs from an optimizer: groups with schedulable hyper-parameters, a step, zeroing, and a
/// snapshot of its state (the learning-rate finder restores it).</summary>
public interface IOptimizer : IDisposable
{
    /// <summary>The parameter groups, whose learning rate and momentum schedulers set before each step.</summary>
    IReadOnlyList<ParameterGroup> Groups { get; }
    /// <summary>Decoupled weight decay applied at each step.</summary>
    double WeightDecay { get; set; }
    /// <summary>What the gradients are divided by before the next <see cref="Step"/> (float16's loss scale, set by the
    /// mixed-precision callback before each step; 1 otherwise). Dividing must happen in float32.</summary>
    double GradientScale { get; set; }
    /// <summary>Updates the trainable parameters from their gradients.</summary>
    void Step();
    /// <summary>Clears the gradients before the next backward pass.</summary>
    void ZeroGrad();
    /// <summary>Number of parameters (or flat buffers) with running averages.</summary>
    int StateCount { get; }
    /// <summary>A copy of the running averages and step counts.</summary>
    OptimizerSnapshot Snapshot();
    /// <summary>Puts a copy of <paramref name="snapshot"/>'s state back (it must come from this optimizer).</summary>
    void Restore(OptimizerSnapshot snapshot);
}
