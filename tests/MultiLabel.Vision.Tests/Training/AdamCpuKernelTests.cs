using MultiLabel.Native;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>The float32 CPU step (<see cref="AdamCpuKernel"/>) against libtorch's operations, element for element.</summary>
public sealed class AdamCpuKernelTests
{
    // Sizes around the kernel's block and vector widths, a channels-last weight, a weight larger than many blocks.
    static readonly long[][] Shapes =
    [
        [64, 3, 7, 7], [AdamCpuKernel.Block + 5], [3], [256, 128, 3, 3], [1000], [17, 13], [AdamCpuKernel.Block], [1], [2 * AdamCpuKernel.Block - 1],
    ];

    /// <summary>Two groups over <see cref="Shapes"/>; with <paramref name="mixed"/> the parameters are bfloat16 with float32
    /// masters (fastai's to_fp16 on a CPU), except the BatchNorm ones, which stay float32 as the learner keeps them.</summary>
    static IReadOnlyList<ParameterGroup> Groups(bool mixed)
    {
        manual_seed(11);
        var parameters = Shapes.Select((shape, i) =>
        {
            var values = randn(shape);
            using (var zeroed = rand(shape).lt(0.1)) values.masked_fill_(zeroed, 0); // as fastai's zero-initialised BatchNorm weights
            if (i == 0) values = MemoryLayout.ToChannelsLast(values);
            bool batchNorm = i % 4 == 2, half = mixed && !batchNorm;
            var parameter = new TorchSharp.Modules.Parameter((half ? HalfLike(values) : values).DetachFromDisposeScope(), requires_grad: true);
            return new GroupParameter($"p{i}", parameter, IsBatchNorm: batchNorm, IsBias: i % 4 == 1) { Master = half ? values.DetachFromDisposeScope() : null };
        }).ToList();
        return [new ParameterGroup("body", parameters.Take(5).ToList()), new ParameterGroup("head", parameters.Skip(5).ToList())];
    }

    [Fact]
    public void The_kernel_is_used_on_this_cpu_and_reaches_libtorchs_threads()
    {
        Assert.True(OpenMpTeam.Available, "libtorch's libgomp was not found in the process");
        Assert.True(AdamCpuKernel.Supported, "the CPU kernel is not used here: FMA/AVX2 or libtorch's OpenMP team missing");
    }

    /// <summary>A bfloat16 copy laid out like <paramref name="x"/> (channels-last stays channels-last).</summary>
    static Tensor HalfLike(Tensor x) => MemoryLayout.IsChannelsLast(x) ? MemoryLayout.ToChannelsLast(x, ScalarType.BFloat16) : x.to(ScalarType.BFloat16);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steps_bit_for_bit_as_the_operation_by_operation_step_with_missing_and_differently_laid_out_gradients(bool mixed)
    {
        using var scope = NewDisposeScope();
        var kernelGroups = Groups(mixed);
        var opsGroups = Groups(mixed);
        using var kernel = new Adam(kernelGroups);
        using var ops = new Adam(opsGroups) { UseCpuKernel = false };
        for (int step = 0; step < 5; step++)
        {
            using var s = NewDisposeScope();
            foreach (var groups in new[] { kernelGroups, opsGroups })
                for (int g = 0; g < groups.Count; g++) { groups[g].LearningRate = 3e-3 * (g + 1) / (step + 1); groups[g].Momentum = 0.95 - 0.02 * step; }
            manual_seed(200 + step);
            var gradients = Shapes.Select(shape => DeadAndTiny(randn(shape).mul_(Math.Pow(10, -step))).DetachFromDisposeScope()).ToList();
            foreach (var groups in new[] { kernelGroups, opsGroups })
            {
                var all = groups.SelectMany(g => g.Parameters).ToList();
                for (int i = 0; i < all.Count; i++)
                    // p4 has no gradient at step 1 (zeros in both); p0's gradient comes contiguous, not channels-last like p0.
                    all[i].Parameter.grad = step == 1 && i == 4 ? null : gradients[i].to(all[i].Parameter.dtype);
            }
            kernel.Step();
            ops.Step();
            kernel.ZeroGrad();
            ops.ZeroGrad();
            foreach (var g in gradients) g.Dispose();
        }

        var expected = opsGroups.SelectMany(g => g.Parameters).ToList();
        var actual = kernelGroups.SelectMany(g => g.Parameters).ToList();
        for (int i = 0; i < expected.Count; i++)
        {
            long differing = actual[i].Parameter.ne(expected[i].Parameter).sum().item<long>();
            Assert.True(differing == 0, $"{actual[i].Name} {string.Join('x', Shapes[i])}: {differing} elements differ");
            if (expected[i].Master is { } master)
                Assert.True(actual[i].Master!.equal(master).all().item<bool>(), $"{actual[i].Name}: the float32 masters differ");
        }
        Assert.Equal(mixed ? ScalarType.BFloat16 : ScalarType.Float32, actual[0].Parameter.dtype);
        Assert.Equal(5 * kernel.BufferCount, kernel.CpuKernelSteps); // every buffer, bfloat16 ones included, went through the kernel
        Assert.Equal(0, ops.CpuKernelSteps);
        using var kernelState = kernel.Snapshot();
        using var opsState = ops.Snapshot();
        foreach (var (a, e) in kernelState.Moments.Zip(opsState.Moments))
        {
            Assert.Equal(e.Step, a.Step);
            Assert.True(a.GradAvg!.equal(e.GradAvg!).all().item<bool>() && a.SqrAvg!.equal(e.SqrAvg!).all().item<bool>(), "the running averages differ");
        }
        Assert.True(actual[0].Parameter.stride()[1] == 1, "the channels-last weight kept its layout");
    }

    /// <summary>Half the gradient exactly 0, as behind dead ReLUs (the kernel does not take libtorch's square root of
    /// those), and a few elements so small that their squares underflow to 0: v stays 0 while m does not, and where the
    /// parameter is 0 the update shows whether √v was taken as 0.</summary>
    static Tensor DeadAndTiny(Tensor gradient)
    {
        using var alive = rand(gradient.shape).gt(0.5);
        using var tiny = rand(gradient.shape).lt(0.05);
        return gradient.mul_(alive).masked_fill_(tiny, 1e-24);
    }

    [Fact]
    public void A_step_on_libtorchs_threads_leaves_no_tensor_behind()
    {
        using var scope = NewDisposeScope();
        var groups = Groups(mixed: true); // bfloat16: the workers also make views to round blocks into the parameters
        var all = groups.SelectMany(g => g.Parameters).ToList();
        using var adam = new Adam(groups);
        void Step()
        {
            using var step = NewDisposeScope();
            foreach (var p in all) p.Parameter.grad = randn(p.Parameter.shape).to(p.Parameter.dtype);
            adam.Step();
            adam.ZeroGrad();
        }
        Step(); // the state and the scratch blocks are made once
        long live = Tensor.TotalCount;

        for (int i = 0; i < 3; i++) Step();

        // A handle made on an OpenMP thread has no dispose scope: one left undisposed there would still be counted here.
        Assert.Equal(live, Tensor.TotalCount);
        Assert.Equal(4 * adam.BufferCount, adam.CpuKernelSteps);
    }

    [Fact]
    public void Libtorchs_team_runs_each_thread_once_and_returns_the_first_failure()
    {
        var seen = new int[get_num_threads()];
        int teamSize = 0;
        OpenMpTeam.Run(seen.Length, (thread, threads) =>
        {
            Interlocked.Increment(ref seen[thread]);
            Volatile.Write(ref teamSize, threads);
        });
        Assert.Equal(seen.Length, teamSize);
        Assert.All(seen, count => Assert.Equal(1, count));

        var failure = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.Run(seen.Length, (thread, _) =>
        {
            if (thread == seen.Length - 1) throw new InvalidOperationException($"thread {thread} failed");
        }));
        Assert.Equal($"thread {seen.Length - 1} failed", failure.Message);
    }
}
