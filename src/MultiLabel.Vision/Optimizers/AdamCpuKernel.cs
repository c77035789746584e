using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using MultiLabel.Native;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>
/// fastai's Adam update of float32 CPU buffers in one pass per cache-sized block instead of ten operations over them, with
/// libtorch's own arithmetic element for element, so that the result is bit for bit what <see cref="Adam"/>'s operation
/// by operation step computes (the tests compare them exactly):
/// <c>t ·= decay</c> (<c>mul_</c>), <c>m = fma(g, 1−β1, m·β1)</c> (<c>mul_</c>, then <c>add_</c> with alpha, which libtorch
/// computes as a fused multiply-add), <c>v = fma((1−β2)·g, g, v·β2)</c> (<c>mul_</c>, then <c>addcmul_</c>, which its
/// compiler contracts to one), <c>q = v / debias2</c> (<c>div_</c>); then libtorch's own <c>sqrt_</c> on the block (its
/// vectorised square root is not always correctly rounded, so it is not reproduced here); then
/// <c>t += (step·m) / (q + eps)</c> (<c>add_</c>, <c>addcdiv_</c>). Scalars are rounded to float32 first, as libtorch does.
/// On a CPU the operation-by-operation step is bound by its passes over memory and the calls that start them; here each
/// block is read once, its square roots taken while it is in cache, and the workers share the blocks.
/// </summary>
static unsafe class AdamCpuKernel
{
    /// <summary>Whether this CPU runs libtorch's AVX2 or AVX-512 kernels, whose fused multiply-adds this reproduces
    /// (without FMA libtorch rounds the products separately), and the work can run on libtorch's threads (with more
    /// than one); elsewhere the step keeps to libtorch's operations.</summary>
    public static bool Supported => Fma.IsSupported && Avx2.IsSupported && (get_num_threads() == 1 || OpenMpTeam.Available);

    /// <summary>Elements per block: under libtorch's grain size (32,768), so its <c>sqrt_</c> on a block runs on the
    /// worker that calls it instead of starting its own threads; four arrays of it stay in a core's L2 cache.</summary>
    public const int Block = 24 * 1024;

    /// <summary>The step's scalars, rounded to float32 as libtorch rounds a Scalar for a float32 tensor.</summary>
    public readonly record struct Coefficients(bool Decays, float Decay, float Momentum, float Dampening, float SqrMom,
        float SqrDampening, float Debias2, float Eps, float Step);

    /// <summary>One parameter's place in the buffer and its gradient's first element (null: no gradient, zeros), float32
    /// or, for bfloat16 parameters with float32 masters, bfloat16 (widened exactly, as libtorch's copy does).</summary>
    public readonly record struct Gradient(long Offset, long Length, IntPtr Data);

    /// <summary>The first float32 of a contiguous float32 CPU tensor.</summary>
    public static float* FloatPointer(Tensor x) => (float*)DataPointer(x, ScalarType.Float32);

    /// <summary>The first element of a contiguous CPU tensor of <paramref name="dtype"/>.</summary>
    public static void* DataPointer(Tensor x, ScalarType dtype)
    {
        if (x.dtype != dtype || x.device_type != DeviceType.CPU || !x.is_contiguous() || x.numel() == 0)
            throw new ArgumentException($"Expected a contiguous, non-empty {dtype} CPU tensor.", nameof(x));
        // TorchSharp's bytes span is a view of the tensor's memory; one element of it keeps its length within an int.
        using var flat = x.reshape(-1);
        using var first = flat.narrow(0, 0, 1);
        return Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }

    /// <summary>Updates <paramref name="data"/>, <paramref name="gradAvg"/> and <paramref name="sqrAvg"/> (flat, <paramref name="total"/>
    /// elements) from the members' <paramref name="gradients"/> (in buffer order, covering it), with one scratch block per
    /// worker in <paramref name="roots"/>. Mixed precision: <paramref name="data"/> is the float32 master buffer
    /// <paramref name="master"/>, the gradients are bfloat16, and each updated block is rounded into
    /// <paramref name="halves"/> by libtorch's copy.</summary>
    public static void Step(float* data, float* gradAvg, float* sqrAvg, long total, IReadOnlyList<Gradient> gradients, IReadOnlyList<Tensor> roots,
        in Coefficients c, Tensor? master = null, Tensor? halves = null)
    {
        bool bfloat16 = halves is not null;
        long blocks = (total + Block - 1) / Block;
        int workers = (int)Math.Min(roots.Count, blocks);
        var k = c;
        IntPtr t = (IntPtr)data, m = (IntPtr)gradAvg, v = (IntPtr)sqrAvg;
        var scratch = roots.Select(r => (IntPtr)FloatPointer(r)).ToArray(); // on this thread: it has the dispose scope
        long claimed = 0;
        if (workers <= 1) Work(0);
        // On libtorch's own threads: a pool of .NET threads would compete with them (see OpenMpTeam).
        else OpenMpTeam.Run(workers, (w, _) => Work(w));

        // Each worker claims the next block until none is left, rather than taking a fixed share: on a 2-core machine any
        // other runnable thread (the runtime's, the finalizer) delays one worker, and with fixed shares the step then
        // waited for that worker's whole half (the host-bound step's optimizer ran at half speed).
        void Work(int worker)
        {
            var root = roots[worker];
            float* q = (float*)scratch[worker];
            for (long b; (b = Interlocked.Increment(ref claimed) - 1) < blocks;)
            {
                long start = b * Block, length = Math.Min(Block, total - start);
                int member = FirstMember(gradients, start);
                // Pass 1, member by member (each has its own gradient): decay, both averages, and v / debias2 into q (1 where
                // v is 0, see Averages).
                for (long done = 0; done < length;)
                {
                    var g = gradients[member];
                    long from = start + done, upTo = Math.Min(start + length, g.Offset + g.Length), n = upTo - from;
                    if (g.Data == IntPtr.Zero) Averages((float*)t + from, (float*)m + from, (float*)v + from, null, null, q + done, n, k);
                    else if (bfloat16) Averages((float*)t + from, (float*)m + from, (float*)v + from, null, (ushort*)g.Data + (from - g.Offset), q + done, n, k);
                    else Averages((float*)t + from, (float*)m + from, (float*)v + from, (float*)g.Data + (from - g.Offset), null, q + done, n, k);
                    done += n;
                    if (upTo == g.Offset + g.Length) member++;
                }
                // Pass 2: libtorch's square root of the block (one call, serial: the block is under its grain size).
                if (length == Block) root.sqrt_();
                else
                {
                    using var part = root.narrow(0, 0, length);
                    part.sqrt_();
                }
                // Pass 3: the parameter update (and in mixed precision libtorch's rounding of it into the bfloat16 parameters).
                Update((float*)t + start, (float*)m + start, (float*)v + start, q, length, k);
                if (halves is not null)
                {
                    using var rounded = halves.narrow(0, start, length);
                    using var updated = master!.narrow(0, start, length);
                    rounded.copy_(updated);
                }
            }
        }
    }

    static int FirstMember(IReadOnlyList<Gradient> gradients, long element)
    {
        int lo = 0, hi = gradients.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (gradients[mid].Offset + gradients[mid].Length <= element) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>t ·= decay; m = fma(g, 1−β1, m·β1); v = fma((1−β2)·g, g, v·β2); q = v / debias2, except 1 where v is 0:
    /// libtorch's vectorised square root takes a slow path for zeros (a block of them 5× as long as of ones on an EPYC
    /// here), and half a small model's gradients can be exactly 0 (dead ReLUs), which made the optimizer's step in
    /// training twice its cost on random gradients. Its root of 0 is 0, so <see cref="Update"/> puts that back where v is
    /// 0 (q = v / debias2 with debias2 ≤ 1 is 0 only there). The gradient is float32 <paramref name="g"/> or bfloat16
    /// <paramref name="gb"/>; with neither it is zeros.</summary>
    static void Averages(float* t, float* m, float* v, float* g, ushort* gb, float* q, long n, in Coefficients c)
    {
        long i = 0;
        var (decay, mom, damp) = (Vector256.Create(c.Decay), Vector256.Create(c.Momentum), Vector256.Create(c.Dampening));
        var (sqrMom, sqrDamp, debias) = (Vector256.Create(c.SqrMom), Vector256.Create(c.SqrDampening), Vector256.Create(c.Debias2));
        for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
        {
            var gv = g != null ? Vector256.Load(g + i)
                : gb != null ? Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(Vector128.Load(gb + i)), 16).AsSingle()
                : Vector256<float>.Zero;
            if (c.Decays) (Vector256.Load(t + i) * decay).Store(t + i);
            Fma.MultiplyAdd(gv, damp, Vector256.Load(m + i) * mom).Store(m + i);
            var vv = Fma.MultiplyAdd(sqrDamp * gv, gv, Vector256.Load(v + i) * sqrMom);
            vv.Store(v + i);
            Vector256.ConditionalSelect(Vector256.Equals(vv, Vector256<float>.Zero), Vector256<float>.One, vv / debias).Store(q + i);
        }
        for (; i < n; i++)
        {
            float gi = g != null ? g[i] : gb != null ? BitConverter.Int32BitsToSingle(gb[i] << 16) : 0f;
            if (c.Decays) t[i] *= c.Decay;
            m[i] = MathF.FusedMultiplyAdd(gi, c.Dampening, m[i] * c.Momentum);
            v[i] = MathF.FusedMultiplyAdd(c.SqrDampening * gi, gi, v[i] * c.SqrMom);
            q[i] = v[i] == 0 ? 1 : v[i] / c.Debias2;
        }
    }

    /// <summary>t += (step·m) / (√q + eps), q already square-rooted, and √q taken as 0 where v is 0.</summary>
    static void Update(float* t, float* m, float* v, float* q, long n, in Coefficients c)
    {
        long i = 0;
        var (eps, step) = (Vector256.Create(c.Eps), Vector256.Create(c.Step));
        for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
        {
            var root = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Load(v + i), Vector256<float>.Zero), Vector256<float>.Zero, Vector256.Load(q + i));
            (Vector256.Load(t + i) + step * Vector256.Load(m + i) / (root + eps)).Store(t + i);
        }
        for (; i < n; i++)
            t[i] = t[i] + c.Step * m[i] / ((v[i] == 0 ? 0 : q[i]) + c.Eps);
    }
}
