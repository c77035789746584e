using System.Diagnostics;
using MultiLabel.Native;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Schedules;
using MultiLabel.Vision.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>
/// `multilabel bench-train`: milliseconds per training step of the Learner's own step (ResNet body + fastai head,
/// fastai's Adam over three groups, one-cycle schedule, the loop's one batch with its callbacks) on synthetic
/// tensors, for the chapter's workloads, in float32 and in the mixed-precision mode (<see cref="MixedPrecision"/>:
/// bfloat16, channels-last, float32 masters); with --growth yes, ms per image at batch 2, 4, 16, 64 at the workload's
/// size and half of it; with --epoch-data, <see cref="EpochBenchmark"/>. One line per figure:
/// "project &lt;workload&gt; &lt;fp32|bf16+cl|…&gt; &lt;ms&gt; ms", tags matching pytorch_reference.py's.
/// </summary>
static class TrainBenchmark
{
    // CpuBatch: the batch on a CPU (the GPU batch would take minutes per step there).
    internal sealed record Workload(string Name, Arch Arch, int Batch, int H, int W, int Outputs, bool Points, int CpuBatch = 4);

    internal enum Mode { Fp32, Bf16ChannelsLast }

    /// <summary>The median step time of the timed steps with their fastest and slowest (the figure and its spread), and
    /// the managed bytes and tensor handles per step.</summary>
    internal sealed record StepFigures(double Milliseconds, double Fastest, double Slowest, int Steps, double ManagedKilobytes, double TensorsCreated)
    {
        public string Spread => $"median of {Steps}, {Fastest:F2}–{Slowest:F2}";
    }

    static readonly Workload[] Workloads =
    [
        new("multilabel-resnet50-128", ResNets.ResNet50, 64, 128, 128, 20, false),
        new("multilabel-resnet34-128", ResNets.ResNet34, 64, 128, 128, 20, false),
        new("keypoint-resnet18-240x320", ResNets.ResNet18, 64, 240, 320, 2, true),
        new("resnet50-224", ResNets.ResNet50, 64, 224, 224, 20, false),
        // The notebooks' own CPU settings: 06a at 96 px, 06b on the bundled 80×60 frames, batch 16.
        new("notebook-06a-resnet18-96", ResNets.ResNet18, 16, 96, 96, 10, false, CpuBatch: 16),
        new("notebook-06b-resnet18-60x80", ResNets.ResNet18, 16, 60, 80, 2, true, CpuBatch: 16),
    ];

    static string Tag(Mode mode) => mode switch
    {
        Mode.Fp32 => "fp32",
        _ => "bf16+cl",
    };

    public static int Run(Options options)
    {
        var runtime = TorchRuntime.Initialize();
        var device = runtime.IsCuda ? CUDA : CPU;
        int steps = options.Int("steps", runtime.IsCuda ? 30 : 5), warmup = options.Int("warmup", runtime.IsCuda ? 5 : 1, min: 0);
        var only = options.Text("workloads", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var modes = NativeModes(options.Text("modes", "fp32,bf16+cl").Split(',', StringSplitOptions.RemoveEmptyEntries), runtime);
        var budget = new RunBudget(TimeSpan.FromMinutes(options.Positive("budget-minutes", 45)));
        var epochItems = EpochItems(options.Text("epoch-items", "5011")); // checked before anything runs
        Console.WriteLine($"project on {runtime.Backend} ({runtime.DeviceName}), cuDNN autotune {(runtime.CudnnBenchmark ? "on" : "off")}, " +
                          $"{steps} timed steps after {warmup} warm-up, modes {string.Join(",", modes)}, budget {budget}");
        foreach (var w in Workloads.Where(w => only.Length == 0 || only.Contains(w.Name)))
        {
            var batch = runtime.IsCuda ? w.Batch : w.CpuBatch;
            string note = batch != w.Batch ? $" (batch {batch})" : "";
            var figures = new Dictionary<Mode, StepFigures>();
            foreach (var mode in Enum.GetValues<Mode>().Where(m => modes.Contains(Tag(m))))
            {
                if (!budget.Allows($"{w.Name} {Tag(mode)}")) continue;
                var f = StepTime(w, device, batch, steps, warmup, mode);
                Console.WriteLine($"project {w.Name} {Tag(mode)} {f.Milliseconds:F2} ms{note} ({f.Spread}; " +
                                  $"host: {f.ManagedKilobytes:F0} KB managed, {f.TensorsCreated:F0} tensor handles per step)");
            }
        }
        // On a CPU the tiny step is still bound by parameter-sized arithmetic, not dispatch: off there unless asked.
        if (options.Text("host-overhead", runtime.IsCuda ? "yes" : "no") == "yes")
            foreach (var w in Workloads.Where(w => only.Length == 0 || only.Contains(w.Name)))
            {
                // Batch 2 at 32×32: the kernels are tiny, so the step time is the host's dispatch work per step (what
                // makes a GPU wait when the host is slower than the kernels it queues). Batch 2, not 1: PyTorch's
                // BatchNorm refuses one value per channel in training (layer4 is 1×1 here), and the peer must run it.
                var tiny = w with { Batch = 2, H = 32, W = 32 };
                foreach (var mode in Enum.GetValues<Mode>().Where(m => modes.Contains(Tag(m))))
                {
                    if (!budget.Allows($"{w.Name} host-overhead-{Tag(mode)}")) continue;
                    var phases = new StepPhases();
                    var f = StepTime(tiny, device, 2, Math.Max(steps, 10), Math.Max(warmup, 2), mode, phases);
                    Console.WriteLine($"project {w.Name} host-overhead-{Tag(mode)} {f.Milliseconds:F2} ms per step at batch 2, 32×32 ({f.Spread})");
                    Console.WriteLine($"project {w.Name} host-overhead-{Tag(mode)}-phases {phases.Medians()}");
                }
                // The optimizer's share of that step, against PyTorch's AdamW per tensor and foreach (ms per million parameters).
                if (!budget.Allows($"{w.Name} optimizer-fp32")) continue;
                var (o, parameters) = OptimizerTime(w, device, Math.Max(steps, 10));
                Console.WriteLine($"project {w.Name} optimizer-fp32 {o.Milliseconds:F2} ms per step, {o.Milliseconds / (parameters / 1e6):F3} ms/Mparam " +
                                  $"({parameters / 1e6:F2}M parameters; {o.Spread})");
            }
        if (options.Text("growth", "no") == "yes")
            foreach (var w in Workloads.Where(w => only.Length == 0 || only.Contains(w.Name)))
                foreach (var (h, wide) in GrowthSizes(w))
                    foreach (var b in GrowthBatches)
                    {
                        if (!budget.Allows($"{w.Name} growth {h}x{wide} batch {b}")) continue;
                        var f = StepTime(w with { H = h, W = wide }, device, b, steps, warmup, Mode.Fp32);
                        Console.WriteLine($"project growth {w.Name} fp32 {h}x{wide} batch {b} {f.Milliseconds / b:F2} ms/img (step {f.Milliseconds:F2} ms; {f.Spread})");
                    }
        var epochData = options.Text("epoch-data", "");
        if (epochData.Length > 0)
            foreach (var items in epochItems)
                EpochBenchmark.Run(epochData, device, runtime.IsCuda ? 64 : 8, items, options.Int("epochs", runtime.IsCuda ? 10 : 3, min: 2),
                    modes.Select(m => Enum.GetValues<Mode>().First(v => Tag(v) == m)).ToList(), budget);
        return 0;
    }

    /// <summary>--epoch-items: one count, or several for epochs of growing size ("1000,5000": is an epoch's time linear in
    /// its items, and does the loader's share change).</summary>
    internal static IReadOnlyList<int> EpochItems(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, out var n) && n >= 20 ? n : throw new ArgumentException($"--epoch-items: '{t}' is not a whole number of at least 20 (one training batch of 8 and a validation set)."))
            .ToList() is { Count: > 0 } counts ? counts : throw new ArgumentException("--epoch-items: give at least one count.");

    /// <summary>Batch sizes of the growth table (ms per image as the batch grows, where the host's fixed work per step
    /// stops mattering). Not 1: fastai's head ends in BatchNorm1d, which refuses one value per channel in training, in
    /// PyTorch as here.</summary>
    internal static readonly int[] GrowthBatches = [2, 4, 16, 64];

    /// <summary>The workload's own image size and half of it (at half size layer4 still has more than one value per
    /// channel for every workload).</summary>
    internal static (int H, int W)[] GrowthSizes(Workload w) => [(w.H, w.W), (w.H / 2, w.W / 2)];

    /// <summary>The asked modes this machine computes natively: bfloat16 is left out (said on the console) where libtorch
    /// would emulate it, which takes longer than the rest of the run together and measures nothing a user would run.</summary>
    internal static IReadOnlyList<string> NativeModes(IReadOnlyList<string> asked, TorchRuntimeReport runtime)
    {
        foreach (var unknown in asked.Where(m => m is not ("fp32" or "bf16+cl")))
            throw new ArgumentException($"Unknown mode '{unknown}' in --modes: use fp32, bf16+cl.");
        if (runtime.NativeBfloat16 || !asked.Contains("bf16+cl")) return asked;
        Console.WriteLine($"skipped bf16+cl: bfloat16 is not native here ({runtime.Bfloat16Advice})");
        return asked.Where(m => m != "bf16+cl").ToList();
    }

    static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(2);

    /// <summary>Median time of one training step after warm-up, with the managed bytes and tensor handles each step makes:
    /// the Learner's own step (its loop's one batch, recorder included) on a synthetic batch, with the one-cycle
    /// schedule set before each step.</summary>
    internal static StepFigures StepTime(Workload w, Device device, int batch, int steps, int warmup, Mode mode, StepPhases? phases = null)
    {
        using var scope = NewDisposeScope();
        using var learn = NewLearner(w, device, mode);
        if (phases is not null) learn.Add(phases);
        var synthetic = SyntheticBatch(w, device, batch);
        var groups = learn.Groups;
        var peaks = LearningRates.Slice(1e-5, 1e-3).For(groups.Count);
        void Step(double pct)
        {
            using var step = NewDisposeScope();
            for (int g = 0; g < groups.Count; g++)
            {
                groups[g].LearningRate = Schedule.OneCycleLr(peaks[g], pct);
                groups[g].Momentum = Schedule.OneCycleMomentum(pct);
            }
            learn.TrainOn(synthetic);
        }
        // Warm up for the steps asked and at least MinWarmup. After two warm-up steps, the host-bound steps on a 2-core
        // VM measured 40 to 60 % slower than after two seconds and varied from run to run (the likely cause: tiered JIT
        // recompiling the step's hot methods on a background thread, which takes a core from the timed steps). The
        // figure is meant to be the steady state of a long training.
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warming.Elapsed < MinWarmup; i++) Step(0);
        Sync(device);
        var (bytes0, tensors0) = (GC.GetAllocatedBytesForCurrentThread(), DisposeScopeManager.Statistics.CreatedInScopeCount);
        if (phases is not null) phases.Recording = true;
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Step((double)i / steps);
            Sync(device);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var (median, fastest, slowest) = Median.Of(times);
        return new StepFigures(median, fastest, slowest, steps,
            (GC.GetAllocatedBytesForCurrentThread() - bytes0) / 1024.0 / steps,
            (double)(DisposeScopeManager.Statistics.CreatedInScopeCount - tensors0) / steps);
    }

    /// <summary>The workload's model (ResNet body + fastai head) in a Learner with the chapter's loss and split, seeded.</summary>
    static Learner NewLearner(Workload w, Device device, Mode mode)
    {
        manual_seed(0);
        var model = nn.Sequential(("body", (nn.Module<Tensor, Tensor>)ResNets.Build(w.Arch, cntkLayout: false)),
            ("head", Head.Create(w.Arch.Features, w.Outputs, w.Points ? (-1, 1) : null)));
        ILoss loss = w.Points ? new MSELossFlat() : new BCEWithLogitsLossFlat();
        var learn = new Learner(SyntheticLoaders(w, device), model, loss, splitter: w.Arch.Split);
        if (mode == Mode.Bf16ChannelsLast) learn.ToBf16();
        return learn;
    }

    static Batch SyntheticBatch(Workload w, Device device, int batch)
    {
        var x = randn(batch, 3, w.H, w.W, device: device);
        var y = w.Points ? RandomPoints(batch, w.Outputs / 2, device) : RandomLabels(batch, w.Outputs, device);
        return new Batch(x, y, Enumerable.Range(0, batch).ToList(), Enumerable.Repeat((w.W, w.H), batch).ToList(), 0, 0);
    }

    /// <summary>The optimizer's step alone (fastai's Adam over the Learner's groups, float32), after one training step
    /// made its state: the median time and the trainable parameters it updates.</summary>
    internal static (StepFigures Figures, long Parameters) OptimizerTime(Workload w, Device device, int steps)
    {
        using var scope = NewDisposeScope();
        using var learn = NewLearner(w, device, Mode.Fp32);
        learn.TrainOn(SyntheticBatch(w with { H = 32, W = 32 }, device, 2));
        var optimizer = learn.Optimizer;
        var trainable = learn.Model.parameters().Where(p => p.requires_grad).ToList();
        long parameters = trainable.Sum(p => p.numel());
        using (no_grad())
            foreach (var p in trainable)
            {
                // The loop zeroed (GPU) or let go of (CPU) them; PyTorch's side steps random ones too.
                if (p.grad is { } g) g.normal_(0, 1e-3);
                else p.grad = randn_like(p).mul_(GradientSize); // the parameter keeps it; this handle goes with the scope
            }
        var warming = Stopwatch.StartNew();
        while (warming.Elapsed < MinWarmup) optimizer.Step();
        Sync(device);
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            optimizer.Step();
            Sync(device);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var (median, fastest, slowest) = Median.Of(times);
        return (new StepFigures(median, fastest, slowest, steps, 0, 0), parameters);
    }

    /// <summary>Loaders over three tiny in-memory images with the workload's targets: what a Learner is built on (its
    /// device, its target block); the timed steps use the synthetic batch instead.</summary>
    static DataLoaders SyntheticLoaders(Workload w, Device device)
    {
        var image = new RgbImage(8, 8, new byte[8 * 8 * 3]);
        var labels = Enumerable.Range(0, w.Outputs).Select(i => $"c{i}").ToList();
        var points = Enumerable.Range(0, w.Outputs / 2).Select(i => new Point2(i % 8, i % 8)).ToArray();
        return w.Points
            ? new DataBlock<int>((new ImageBlock(), new PointBlock()), _ => image, _ => points, Splitters.IndexSplitter<int>([2]))
                .DataLoaders([0, 1, 2], batchSize: 2, device: device, workers: 1)
            : new DataBlock<int>((new ImageBlock(), new MultiCategoryBlock(labels)), _ => image, _ => labels.Take(1), Splitters.IndexSplitter<int>([2]))
                .DataLoaders([0, 1, 2], batchSize: 2, device: device, workers: 1);
    }

    internal static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }

    // Scalars held for their calls (see MultiLabel.Vision.Tensors.Scalars).
    static readonly Scalar Two = 2.ToScalar(), LabelRate = 0.8.ToScalar(), GradientSize = 1e-3.ToScalar();

    /// <summary>Random points in [-1, 1].</summary>
    static Tensor RandomPoints(int batch, int points, Device device)
    {
        using var unit = rand(batch, points, 2, device: device);
        return unit.mul(Two).sub_(MultiLabel.Vision.Tensors.Scalars.One);
    }

    /// <summary>Random multi-hot labels, about one in five on.</summary>
    internal static Tensor RandomLabels(int batch, int classes, Device device)
    {
        using var unit = rand(batch, classes, device: device);
        using var on = unit.gt(LabelRate);
        return on.to(ScalarType.Float32);
    }
}
