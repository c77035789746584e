using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>
/// fastai's Adam one parameter at a time, written as fastai writes it: the reference the engine's flat-buffer
/// <see cref="Adam"/> is checked against (same trajectories to 1e-6). Its maths: running averages with dampening
/// (grad_avg = β1·grad_avg + (1−β1)·g, sqr_avg = β2·sqr_avg + (1−β2)·g²), bias-corrected step p −= lr/(1−β1^t) · grad_avg / (√(sqr_avg/(1−β2^t)) + eps), and decoupled weight decay
/// p ·= 1 − lr·wd applied first, except to BatchNorm parameters and biases. β1 is each group's
/// <see cref="ParameterGroup.Momentum"/>, which the one-cycle schedule drives. Defaults: β2 0.99, eps 1e-5, wd 0.01.
/// Parameters without a gradient (frozen) are skipped. A parameter with a <see cref="GroupParameter.Master"/> (mixed precision)
/// is updated through its float32 master.
/// </summary>
public sealed class ReferenceAdam : IOptimizer
{
    sealed class State(Tensor gradAvg, Tensor sqrAvg)
    {
        public Tensor GradAvg { get; } = gradAvg;
        public Tensor SqrAvg { get; } = sqrAvg;
        public int Step { get; set; }
    }

    readonly Dictionary<TorchSharp.Modules.Parameter, State> state = new((IEqualityComparer<TorchSharp.Modules.Parameter>)ReferenceEqualityComparer.Instance);

    /// <summary>fastai's Adam over <paramref name="groups"/>, with its defaults.</summary>
    /// <param name="groups">Parameter groups, each with its learning rate and momentum (β1).</param>
    /// <param name="sqrMom">β2, the decay of the squared-gradient average.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay (AdamW style), skipped for BatchNorm parameters and biases.</param>
    public ReferenceAdam(IReadOnlyList<ParameterGroup> groups, double sqrMom = 0.99, double eps = 1e-5, double weightDecay = 0.01)
    {
        if (groups.Count == 0) throw new ArgumentException("The optimizer needs at least one parameter group.", nameof(groups));
        (Groups, SqrMom, Eps, WeightDecay) = (groups, sqrMom, eps, weightDecay);
    }

    /// <inheritdoc/>
    public IReadOnlyList<ParameterGroup> Groups { get; }
    /// <summary>β2, the decay of the squared-gradient average.</summary>
    public double SqrMom { get; }
    /// <summary>Added to the denominator (fastai's 1e-5).</summary>
    public double Eps { get; }
    /// <inheritdoc/>
    public double WeightDecay { get; set; }
    /// <inheritdoc/>
    public double GradientScale { get; set; } = 1;

    /// <inheritdoc/>
    public void Step()
    {
        using var _ = no_grad();
        foreach (var group in Groups)
        {
            double lr = group.LearningRate, mom = group.Momentum;
            // Scalars held for the calls (see Scalars); they depend on the group, not the parameter.
            using var decay = (1 - lr * WeightDecay).ToScalar();
            using var momentum = mom.ToScalar();
            using var dampening = (1 - mom).ToScalar();
            using var sqrMom = SqrMom.ToScalar();
            using var sqrDampening = (1 - SqrMom).ToScalar();
            using var eps = Eps.ToScalar();
            using var gradScale = GradientScale.ToScalar();
            foreach (var entry in group.Parameters)
            {
                var p = entry.Parameter;
                if (p.grad is null || !p.requires_grad) continue;
                // Mixed precision: the update happens on the float32 master, then lands in the half parameter.
                var target = entry.Master ?? p;
                using var raw = entry.Master is null ? p.grad.alias() : p.grad.to(target.dtype);
                using var grad = raw.div(gradScale); // float16's loss scale, divided out in float32
                if (WeightDecay != 0 && entry.Decays) target.mul_(decay);
                if (!state.TryGetValue(p, out var s))
                    state[p] = s = new State(zeros_like(target).DetachFromDisposeScope(), zeros_like(target).DetachFromDisposeScope());
                s.Step++;
                s.GradAvg.mul_(momentum).add_(grad, alpha: dampening);
                s.SqrAvg.mul_(sqrMom).addcmul_(grad, grad, value: sqrDampening);
                double debias1 = 1 - Math.Pow(mom, s.Step), debias2 = 1 - Math.Pow(SqrMom, s.Step);
                using var debias = debias2.ToScalar();
                using var step = (-lr / debias1).ToScalar();
                using var denom = s.SqrAvg.div(debias).sqrt_().add_(eps, Scalars.One);
                target.addcdiv_(s.GradAvg, denom, value: step);
                if (entry.Master is not null) p.copy_(entry.Master);
            }
        }
    }

    /// <inheritdoc/>
    public void ZeroGrad()
    {
        foreach (var group in Groups)
            foreach (var entry in group.Parameters)
                entry.Parameter.grad?.zero_();
    }

    /// <summary>Copies of the running averages and step counts, one per parameter of <see cref="Groups"/> in order
    /// (empty moments for a parameter that has not stepped yet).</summary>
    public OptimizerSnapshot Snapshot() =>
        new(this, Ordered().Select(p => state.TryGetValue(p, out var s) ? OptimizerSnapshot.Copy(new AdamMoments(s.GradAvg, s.SqrAvg, s.Step)) : new AdamMoments(null, null, 0)).ToList());

    /// <inheritdoc/>
    public void Restore(OptimizerSnapshot snapshot)
    {
        snapshot.CheckOwner(this);
        ClearState();
        foreach (var (p, saved) in Ordered().Zip(snapshot.Moments))
            if (saved is { GradAvg: { } g, SqrAvg: { } s })
                state[p] = new State(g.clone().DetachFromDisposeScope(), s.clone().DetachFromDisposeScope()) { Step = saved.Step };
    }

    IEnumerable<TorchSharp.Modules.Parameter> Ordered() => Groups.SelectMany(g => g.Parameters).Select(e => e.Parameter);

    /// <inheritdoc/>
    public int StateCount => state.Count;

    void ClearState()
    {
        foreach (var s in state.Values) { s.GradAvg.Dispose(); s.SqrAvg.Dispose(); }
        state.Clear();
    }

    /// <inheritdoc/>
    public void Dispose() => ClearState();
}
