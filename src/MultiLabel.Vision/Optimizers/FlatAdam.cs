using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>
/// fastai's Adam (same maths as <see cref="Adam"/>) over flat buffers: the trainable parameters of each group — split into
/// those that take weight decay and those that do not (BatchNorm, biases) — become views of one contiguous tensor, and so do
/// their gradients, so a step is a handful of kernels per buffer instead of several per parameter tensor (the per-parameter
/// launches are what makes plain TorchSharp training slower than PyTorch's fused optimizers on a GPU). Parameters frozen
/// when the optimizer is made are left out, as fastai does; freezing or unfreezing makes a new optimizer.
/// </summary>
public sealed class FlatAdam : IOptimizer
{
    sealed class Buffer(ParameterGroup group, bool decays, Tensor data, Tensor grad, int parameters)
    {
        public ParameterGroup Group { get; } = group;
        public bool Decays { get; } = decays;
        public Tensor Data { get; } = data;
        public Tensor Grad { get; } = grad;
        public int Parameters { get; } = parameters;
        public Tensor? GradAvg { get; set; }
        public Tensor? SqrAvg { get; set; }
        public int Step { get; set; }
    }

    readonly List<Buffer> buffers = [];

    public FlatAdam(IReadOnlyList<ParameterGroup> groups, double sqrMom = 0.99, double eps = 1e-5, double weightDecay = 0.01)
    {
        if (groups.Count == 0) throw new ArgumentException("The optimizer needs at least one parameter group.", nameof(groups));
        (Groups, SqrMom, Eps, WeightDecay) = (groups, sqrMom, eps, weightDecay);
        using var _ = no_grad();
        foreach (var group in groups)
            foreach (var decays in new[] { true, false })
            {
                var members = group.Parameters.Where(p => p.Decays == decays && p.Parameter.requires_grad).Select(p => p.Parameter).ToList();
                if (members.Count > 0) buffers.Add(Flatten(group, decays, members));
            }
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }
    public double SqrMom { get; }
    public double Eps { get; }
    public double WeightDecay { get; set; }
    public int StateCount => buffers.Count(b => b.GradAvg is not null);

    /// <summary>One buffer for the data and one for the gradients; each parameter (and its gradient) becomes a view.</summary>
    static Buffer Flatten(ParameterGroup group, bool decays, List<TorchSharp.Modules.Parameter> members)
    {
        var first = members[0];
        long total = members.Sum(p => p.numel());
        var data = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        var grad = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        long offset = 0;
        foreach (var p in members)
        {
            long n = p.numel();
            using var slot = data.narrow(0, offset, n).view(p.shape);
            slot.copy_(p);
            p.set_(slot);
            p.grad = grad.narrow(0, offset, n).view(p.shape);
            offset += n;
        }
        return new Buffer(group, decays, data, grad, members.Count);
    }

    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var b in buffers)
        {
            double lr = b.Group.LearningRate, mom = b.Group.Momentum;
            b.GradAvg ??= zeros_like(b.Data).DetachFromDisposeScope();
            b.SqrAvg ??= zeros_like(b.Data).DetachFromDisposeScope();
            b.Step++;
            double debias1 = 1 - Math.Pow(mom, b.Step), debias2 = 1 - Math.Pow(SqrMom, b.Step);
            // Scalars made and disposed here, not left to finalizers (which can race with native calls in TorchSharp 0.107).
            using var decay = (1 - lr * WeightDecay).ToScalar();
            using var momentum = mom.ToScalar();
            using var dampening = (1 - mom).ToScalar();
            using var sqrMom = SqrMom.ToScalar();
            using var sqrDampening = (1 - SqrMom).ToScalar();
            using var debias = debias2.ToScalar();
            using var eps = Eps.ToScalar();
            using var step = (-lr / debias1).ToScalar();
            using var one = 1.0.ToScalar();
            if (WeightDecay != 0 && b.Decays) b.Data.mul_(decay);
            b.GradAvg.mul_(momentum).add_(b.Grad, alpha: dampening);
            b.SqrAvg.mul_(sqrMom).addcmul_(b.Grad, b.Grad, value: sqrDampening);
            var denom = b.SqrAvg.div(debias).sqrt_().add_(eps, one);
            b.Data.addcdiv_(b.GradAvg, denom, value: step);
        }
    }

    /// <summary>Zeroes the flat gradient buffers (the per-parameter gradients are views of them, never replaced).</summary>
    public void ZeroGrad()
    {
        foreach (var b in buffers) b.Grad.zero_();
    }

    public object Snapshot() => buffers.Select(b => (b.GradAvg?.clone().DetachFromDisposeScope(), b.SqrAvg?.clone().DetachFromDisposeScope(), b.Step)).ToList();

    public void Restore(object snapshot)
    {
        var saved = (List<(Tensor?, Tensor?, int)>)snapshot;
        for (int i = 0; i < buffers.Count; i++)
        {
            buffers[i].GradAvg?.Dispose();
            buffers[i].SqrAvg?.Dispose();
            (buffers[i].GradAvg, buffers[i].SqrAvg, buffers[i].Step) = saved[i];
        }
    }

    public void Dispose()
    {
        foreach (var b in buffers)
        {
            b.GradAvg?.Dispose();
            b.SqrAvg?.Dispose();
        }
    }
}
