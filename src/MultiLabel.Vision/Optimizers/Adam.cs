using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>
/// fastai's Adam, the Learner's default optimizer (fastai's <c>opt_func=Adam</c>): running averages with dampening
/// (grad_avg = β1·grad_avg + (1−β1)·g, sqr_avg = β2·sqr_avg + (1−β2)·g²), bias-corrected step
/// p −= lr/(1−β1^t) · grad_avg / (√(sqr_avg/(1−β2^t)) + eps), and decoupled weight decay p ·= 1 − lr·wd applied first,
/// except to BatchNorm parameters and biases. β1 is each group's <see cref="ParameterGroup.Momentum"/>, which the one-cycle
/// schedule drives. Defaults: β2 0.99, eps 1e-5, wd 0.01.
/// It steps flat buffers: the trainable parameters of each group — split into those that take weight decay and those that
/// do not — become views of one contiguous tensor, so a step is a handful of kernels per buffer instead of several per
/// parameter tensor (the per-parameter launches are what makes plain TorchSharp training slower than PyTorch's fused
/// optimizers on a GPU). Gradients differ by device. On a GPU they too are views of one flat buffer, zeroed after each
/// step (a cheap kernel there). On a CPU, where a step is bound by memory traffic, zeroing a buffer the size of the model
/// and then having autograd add each new gradient into it cost three passes over it that PyTorch does not make (its
/// <c>zero_grad(set_to_none=True)</c> lets autograd hand over each fresh gradient), so there <see cref="ZeroGrad"/> lets go
/// of the gradients and the step gathers each cache-sized chunk of them from the parameters' own gradients. The tests
/// check it against fastai's per-parameter formulation to 1e-6. A CPU step (float32, or bfloat16 with float32 masters)
/// goes through <see cref="AdamCpuKernel"/> (one pass per cache-sized block on libtorch's threads, bit for bit the
/// operations' result) where the CPU has FMA. Parameters frozen when the optimizer is made are left out, as fastai does; freezing or unfreezing makes a new optimizer. In mixed
/// precision the half parameters get a float32 master buffer: the update is computed there and copied into the
/// parameters; float16's loss scale (<see cref="GradientScale"/>) is divided out of the gradients in float32 first.
/// </summary>
public sealed class Adam : IOptimizer
{
    /// <summary>A parameter's place in its buffer, and the order of its dimensions in memory (for its gradient's flat view).</summary>
    sealed record Member(TorchSharp.Modules.Parameter Parameter, long Offset, long Length, long[] MemoryOrder)
    {
        /// <summary>Whether the dimensions are already outermost-first in memory (no permute needed).</summary>
        public bool InMemoryOrder { get; } = MemoryOrder.Select((d, i) => d == i).All(same => same);
    }

    sealed class Buffer(ParameterGroup group, bool decays, Tensor data, Tensor? grad, Tensor? master, IReadOnlyList<Member> members)
    {
        public ParameterGroup Group { get; } = group;
        public bool Decays { get; } = decays;
        public Tensor Data { get; } = data;
        /// <summary>The flat gradient buffer the parameters' gradients are views of (GPU); null on a CPU, where the step
        /// gathers the gradients (see the class remarks).</summary>
        public Tensor? Grad { get; } = grad;
        /// <summary>Float32 master values of bfloat16 parameters (mixed precision), laid out like <see cref="Data"/>.</summary>
        public Tensor? Master { get; } = master;
        public IReadOnlyList<Member> Members { get; } = members;
        public Tensor? GradAvg { get; set; }
        public Tensor? SqrAvg { get; set; }
        /// <summary>Kept between steps: a fresh buffer this size per step would be a new mapping (zeroed by the kernel) on
        /// CPUs, where glibc maps anything above its mmap threshold.</summary>
        public Tensor? Scratch { get; set; }
        /// <summary>A chunk of gathered gradients (CPU), kept between steps like <see cref="Scratch"/>.</summary>
        public Tensor? Gathered { get; set; }
        /// <summary>One block of square roots per worker of the CPU step (<see cref="AdamCpuKernel"/>).</summary>
        public Tensor[]? Roots { get; set; }
        public int Step { get; set; }
    }

    readonly List<Buffer> buffers = [];

    /// <summary>fastai's Adam over <paramref name="groups"/>, stepping each group's parameters as one flat buffer.</summary>
    /// <param name="groups">Parameter groups, each with its learning rate and momentum (β1).</param>
    /// <param name="sqrMom">β2, the decay of the squared-gradient average.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay (AdamW style), skipped for BatchNorm parameters and biases.</param>
    public Adam(IReadOnlyList<ParameterGroup> groups, double sqrMom = 0.99, double eps = 1e-5, double weightDecay = 0.01)
    {
        if (groups.Count == 0) throw new ArgumentException("The optimizer needs at least one parameter group.", nameof(groups));
        (Groups, SqrMom, Eps, WeightDecay) = (groups, sqrMom, eps, weightDecay);
        using var _ = no_grad();
        foreach (var group in groups)
            foreach (var decays in new[] { true, false })
                // One buffer per element type: in mixed precision, BatchNorm stays float32 while the rest is bfloat16.
                foreach (var members in group.Parameters.Where(p => p.Decays == decays && p.Parameter.requires_grad)
                             .GroupBy(p => (p.Parameter.dtype, p.Master is not null)))
                    buffers.Add(Flatten(group, decays, members.ToList()));
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
    public int StateCount => buffers.Count(b => b.GradAvg is not null);
    /// <summary>Whether CPU buffers step through <see cref="AdamCpuKernel"/> (where it reproduces libtorch's
    /// arithmetic) rather than operation by operation; the tests compare the two.</summary>
    internal bool UseCpuKernel { get; set; } = true;
    /// <summary>Buffer steps taken through <see cref="AdamCpuKernel"/> (the tests check which path ran).</summary>
    internal int CpuKernelSteps { get; private set; }
    /// <summary>Number of flat buffers (one per group, weight-decay class and element type).</summary>
    public int BufferCount => buffers.Count;

    /// <summary>
    /// One buffer for the data (and one for float32 masters in mixed precision, and on a GPU one for the gradients); each
    /// parameter, its master and its gradient become views of them, keeping the parameter's memory layout (e.g.
    /// channels-last).
    /// </summary>
    static Buffer Flatten(ParameterGroup group, bool decays, List<GroupParameter> members)
    {
        var first = members[0].Parameter;
        long total = members.Sum(p => p.Parameter.numel());
        var data = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        var grad = first.device.type == DeviceType.CPU ? null : zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        var placed = new List<Member>(members.Count);
        var master = members[0].Master is null ? null : empty(total, dtype: ScalarType.Float32, device: first.device).DetachFromDisposeScope();
        long offset = 0;
        foreach (var member in members)
        {
            var p = member.Parameter;
            long n = p.numel();
            placed.Add(new Member(p, offset, n, MemoryLayout.MemoryOrder(p)));
            using var slot = MemoryLayout.ViewLike(data.narrow(0, offset, n), p);
            slot.copy_(p);
            p.set_(slot);
            if (grad is not null)
            {
                var gradSlot = MemoryLayout.ViewLike(grad.narrow(0, offset, n), p);
                // The Learner makes its optimizer at the first step, after the first backward: keep that gradient.
                if (p.grad is { } existing) gradSlot.copy_(existing);
                p.grad = gradSlot;
            }
            if (master is not null)
            {
                using var masterSlot = MemoryLayout.ViewLike(master.narrow(0, offset, n), p);
                masterSlot.copy_(member.Master!);
                member.Master!.set_(masterSlot); // the learner's master stays current as the optimizer updates the buffer
            }
            offset += n;
        }
        return new Buffer(group, decays, data, grad, master, placed);
    }

    /// <inheritdoc/>
    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var b in buffers)
        {
            double lr = b.Group.LearningRate, mom = b.Group.Momentum;
            b.GradAvg ??= zeros_like(b.Master ?? b.Data).DetachFromDisposeScope();
            b.SqrAvg ??= zeros_like(b.Master ?? b.Data).DetachFromDisposeScope();
            b.Step++;
            double debias1 = 1 - Math.Pow(mom, b.Step), debias2 = 1 - Math.Pow(SqrMom, b.Step);
            if (UseCpuKernel && b.Grad is null && GradientScale == 1 && AdamCpuKernel.Supported
                && (b.Master is null ? b.Data.dtype == ScalarType.Float32 : b.Data.dtype == ScalarType.BFloat16))
            {
                CpuKernelStep(b, new AdamCpuKernel.Coefficients(WeightDecay != 0 && b.Decays, (float)(1 - lr * WeightDecay), (float)mom,
                    (float)(1 - mom), (float)SqrMom, (float)(1 - SqrMom), (float)debias2, (float)Eps, (float)(-lr / debias1)));
                CpuKernelSteps++;
                continue;
            }
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
            using var gradScale = GradientScale.ToScalar();
            // Mixed precision: the update runs in float32 on the masters, then one copy rounds them into the parameters.
            var target = b.Master ?? b.Data;
            long total = target.numel(), chunk = target.device.type == DeviceType.CPU ? Math.Min(CpuChunk, total) : total;
            b.Scratch ??= empty(chunk, dtype: target.dtype, device: target.device).DetachFromDisposeScope();
            // On a CPU every operation over a whole buffer streams it from memory; chunks small enough to stay in cache
            // go through all the operations while they are there (on a GPU one launch per operation is what counts).
            int member = 0; // the first parameter the next chunk of gradients touches (CPU)
            // Each parameter's flat gradient, made once per step however many chunks it spans (CPU).
            var flatGradients = b.Grad is null ? new Tensor?[b.Members.Count] : null;
            for (long start = 0; start < total; start += chunk)
            {
                long length = Math.Min(chunk, total - start);
                using var t = target.narrow(0, start, length);
                using var m = b.GradAvg.narrow(0, start, length);
                using var v = b.SqrAvg.narrow(0, start, length);
                using var scratch = b.Scratch.narrow(0, 0, length);
                using var rawGrad = b.Grad is { } flat ? flat.narrow(0, start, length) : Gather(b, start, length, ref member, flatGradients!);
                var grad = b.Master is null ? rawGrad : scratch.copy_(rawGrad);
                if (GradientScale != 1) grad.div_(gradScale); // float16's loss scale, divided out in float32
                if (WeightDecay != 0 && b.Decays) t.mul_(decay);
                m.mul_(momentum).add_(grad, alpha: dampening);
                v.mul_(sqrMom).addcmul_(grad, grad, value: sqrDampening);
                var denom = scratch.copy_(v).div_(debias).sqrt_().add_(eps, one); // the float32 gradient is no longer needed
                t.addcdiv_(m, denom, value: step);
                if (b.Master is not null)
                {
                    using var data = b.Data.narrow(0, start, length);
                    data.copy_(t);
                }
            }
        }
    }

    /// <summary>The CPU step of float32 buffers and of bfloat16 ones with float32 masters: <see cref="AdamCpuKernel"/> over
    /// the buffer, reading each parameter's own gradient, with one scratch block per libtorch thread kept between steps.</summary>
    static unsafe void CpuKernelStep(Buffer b, in AdamCpuKernel.Coefficients coefficients)
    {
        int workers = Math.Max(1, get_num_threads());
        if (b.Roots is not { } roots || roots.Length != workers)
        {
            if (b.Roots is { } old) foreach (var r in old) r.Dispose();
            b.Roots = roots = Enumerable.Range(0, workers).Select(_ => empty(AdamCpuKernel.Block, dtype: ScalarType.Float32).DetachFromDisposeScope()).ToArray();
        }
        var gradients = new AdamCpuKernel.Gradient[b.Members.Count];
        var flatGradients = new Tensor?[b.Members.Count];
        for (int i = 0; i < gradients.Length; i++)
        {
            var member = b.Members[i];
            var flat = FlatGradientOf(b, i, flatGradients);
            if (flat is not null && !flat.is_contiguous()) flat = flatGradients[i] = flat.contiguous();
            gradients[i] = new(member.Offset, member.Length, flat is null ? IntPtr.Zero : (IntPtr)AdamCpuKernel.DataPointer(flat, b.Data.dtype));
        }
        var target = b.Master ?? b.Data;
        AdamCpuKernel.Step(AdamCpuKernel.FloatPointer(target), AdamCpuKernel.FloatPointer(b.GradAvg!), AdamCpuKernel.FloatPointer(b.SqrAvg!),
            target.numel(), gradients, roots, coefficients, b.Master, b.Master is null ? null : b.Data);
        GC.KeepAlive(flatGradients);
    }

    /// <summary>Elements per chunk of a CPU step: 256K floats, a megabyte per buffer, five buffers in play.</summary>
    const long CpuChunk = 256 * 1024;

    /// <summary>The gradients of elements <paramref name="start"/>…+<paramref name="length"/> of a CPU buffer, flat and in
    /// the buffer's order: a view of the one parameter's gradient when the chunk lies within it, otherwise copied
    /// together into <see cref="Buffer.Gathered"/>. A parameter without a gradient contributes zeros, as its zeroed view
    /// of a flat gradient buffer would.</summary>
    static Tensor Gather(Buffer b, long start, long length, ref int first, Tensor?[] flatGradients)
    {
        long end = start + length;
        var members = b.Members;
        while (members[first].Offset + members[first].Length <= start) first++; // chunks come in order
        var only = members[first];
        if (only.Offset + only.Length >= end && FlatGradientOf(b, first, flatGradients) is { } whole)
            return whole.narrow(0, start - only.Offset, length);
        b.Gathered ??= empty(Math.Min(CpuChunk, b.Data.numel()), dtype: b.Data.dtype, device: b.Data.device).DetachFromDisposeScope();
        var gathered = b.Gathered.narrow(0, 0, length);
        for (int i = first; i < members.Count && members[i].Offset < end; i++)
        {
            var m = members[i];
            long from = Math.Max(start, m.Offset), to = Math.Min(end, m.Offset + m.Length);
            using var slot = gathered.narrow(0, from - start, to - from);
            if (FlatGradientOf(b, i, flatGradients) is not { } flat) slot.zero_();
            else if (to - from == m.Length) slot.copy_(flat);
            else
            {
                using var part = flat.narrow(0, from - m.Offset, to - from);
                slot.copy_(part);
            }
        }
        return gathered;
    }

    /// <summary>Member <paramref name="i"/>'s flat gradient, made on first use in this step (the step's scope disposes it),
    /// or null when the parameter has none.</summary>
    static Tensor? FlatGradientOf(Buffer b, int i, Tensor?[] flatGradients)
    {
        if (flatGradients[i] is { } made) return made;
        using var grad = b.Members[i].Parameter.grad;
        return grad is null ? null : flatGradients[i] = FlatGradient(grad, b.Members[i]);
    }

    /// <summary>A gradient as a 1-D tensor in its parameter's memory order: a view when it is laid out like the parameter
    /// (as autograd makes it), otherwise a copy in that order.</summary>
    static Tensor FlatGradient(Tensor grad, Member m)
    {
        if (m.InMemoryOrder) return grad.reshape(m.Length);
        using var ordered = grad.permute(m.MemoryOrder);
        return ordered.reshape(m.Length);
    }

    /// <summary>Clears the gradients before the next backward: on a GPU it zeroes the flat gradient buffers (the
    /// parameters' gradients are views of them, never replaced); on a CPU it lets go of them, so that autograd hands the
    /// next ones over instead of adding them into zeros (see the class remarks).</summary>
    public void ZeroGrad()
    {
        foreach (var b in buffers)
        {
            if (b.Grad is { } flat) flat.zero_();
            else foreach (var m in b.Members) m.Parameter.grad = null;
        }
    }

    /// <summary>Copies of the running averages and step counts, one per flat buffer.</summary>
    public OptimizerSnapshot Snapshot() => new(this, buffers.Select(b => OptimizerSnapshot.Copy(new AdamMoments(b.GradAvg, b.SqrAvg, b.Step))).ToList());

    /// <inheritdoc/>
    public void Restore(OptimizerSnapshot snapshot)
    {
        snapshot.CheckOwner(this);
        for (int i = 0; i < buffers.Count; i++)
        {
            buffers[i].GradAvg?.Dispose();
            buffers[i].SqrAvg?.Dispose();
            var copy = OptimizerSnapshot.Copy(snapshot.Moments[i]);
            (buffers[i].GradAvg, buffers[i].SqrAvg, buffers[i].Step) = (copy.GradAvg, copy.SqrAvg, copy.Step);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The parameters, gradients and masters keep their storage alive through their own views.
        foreach (var b in buffers)
        {
            b.GradAvg?.Dispose();
            b.SqrAvg?.Dispose();
            b.Scratch?.Dispose();
            b.Gathered?.Dispose();
            foreach (var r in b.Roots ?? []) r.Dispose();
            b.Data.Dispose();
            b.Grad?.Dispose();
            b.Master?.Dispose();
        }
    }
}
