using System.Diagnostics;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Native;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Schedules;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>
/// `multilabel bench-train`: milliseconds per training step of the project's real step (ResNet body + fastai head,
/// fastai's Adam over three groups, one-cycle schedule, loss read back each step as the Learner does) on synthetic
/// tensors, for the chapter's workloads; with --epoch-data, one epoch of the full pipeline (decode, augment, train)
/// against the same number of pure compute steps. One line per figure: "project &lt;workload&gt; fp32 &lt;ms&gt; ms".
/// </summary>
static class TrainBenchmark
{
    sealed record Workload(string Name, Arch Arch, int Batch, int H, int W, int Outputs, bool Points);

    static readonly Workload[] Workloads =
    [
        new("multilabel-resnet50-128", ResNets.Resnet50, 64, 128, 128, 20, false),
        new("multilabel-resnet34-128", ResNets.Resnet34, 64, 128, 128, 20, false),
        new("keypoint-resnet18-240x320", ResNets.Resnet18, 64, 240, 320, 2, true),
    ];

    public static int Run(Options options)
    {
        var runtime = TorchRuntime.Initialize();
        var device = runtime.IsCuda ? CUDA : CPU;
        int steps = options.Int("steps", runtime.IsCuda ? 30 : 3), warmup = options.Int("warmup", runtime.IsCuda ? 5 : 1, min: 0);
        var only = options.Text("workloads", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"project on {runtime.Backend} ({runtime.DeviceName}), {steps} timed steps after {warmup} warm-up");
        foreach (var w in Workloads.Where(w => only.Length == 0 || only.Contains(w.Name)))
        {
            var batch = runtime.IsCuda ? w.Batch : 4;
            double flat = StepTime(w, device, batch, steps, warmup, flatOptimizer: true);
            double perParameter = StepTime(w, device, batch, steps, warmup, flatOptimizer: false);
            string note = batch != w.Batch ? $" (batch {batch})" : "";
            Console.WriteLine($"project {w.Name} fp32 {flat:F2} ms{note}");
            Console.WriteLine($"project {w.Name} fp32-per-parameter-adam {perParameter:F2} ms{note} (flat buffers {perParameter / flat:F2}x faster)");
        }
        var epochData = options.Text("epoch-data", "");
        if (epochData.Length > 0) EpochTime(epochData, device, runtime.IsCuda ? 64 : 8, options.Int("epoch-items", 5011));
        return 0;
    }

    static double StepTime(Workload w, Device device, int batch, int steps, int warmup, bool flatOptimizer = true)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var model = nn.Sequential(("body", (nn.Module<Tensor, Tensor>)ResNets.Build(w.Arch, cntkLayout: false)),
            ("head", Head.Create(w.Arch.Features, w.Outputs, w.Points ? (-1, 1) : null))).to(device);
        model.train();
        var groups = ParameterGroups.ResNet(model);
        using IOptimizer adam = flatOptimizer ? new FlatAdam(groups) : new Adam(groups);
        ILoss loss = w.Points ? new MSELossFlat() : new BCEWithLogitsLossFlat();
        var x = randn(batch, 3, w.H, w.W, device: device);
        var y = w.Points ? rand(batch, w.Outputs / 2, 2, device: device) * 2 - 1 : (rand(batch, w.Outputs, device: device) > 0.8).to(ScalarType.Float32);
        var peaks = LearningRates.Slice(1e-5, 1e-3).For(groups.Count);
        int total = warmup + steps;
        var clock = new Stopwatch();
        for (int i = 0; i < total; i++)
        {
            if (i == warmup) { Sync(device); clock.Start(); }
            using var step = NewDisposeScope();
            double pct = (double)i / total;
            for (int g = 0; g < groups.Count; g++)
            {
                groups[g].LearningRate = Schedule.OneCycleLr(peaks[g], pct);
                groups[g].Momentum = Schedule.OneCycleMomentum(pct);
            }
            var l = loss.Compute(model.call(x), y);
            _ = l.item<float>(); // the Learner reads every loss (recorder, NaN check)
            l.backward();
            adam.Step();
            adam.ZeroGrad();
        }
        Sync(device);
        return clock.Elapsed.TotalMilliseconds / steps;
    }

    static void EpochTime(string folder, Device device, int batch, int maxItems)
    {
        var items = PascalCsv.Load(folder).Items.Take(maxItems).ToList();
        var block = new DataBlock<PascalItem>((new ImageBlock(), new MultiCategoryBlock()), i => i.ImagePath, i => i.Labels,
            Splitters.Random<PascalItem>(0.2, seed: 1), itemTfms: [new RandomResizedCrop(128, minScale: 0.35)], batchTfms: [new AugTransforms()]);
        var dls = block.DataLoaders(items, batchSize: batch, seed: 1, device: device);
        using var learn = VisionLearner.Create(dls, ResNets.Resnet50, pretrained: false, seed: 1);
        learn.Unfreeze();
        var timer = new TrainTimer(device);
        learn.Add(timer);
        learn.Fit(1, 1e-3); // warm-up epoch (allocator, cuDNN autotuning, page cache)
        learn.Fit(1, 1e-3);
        int trainBatches = dls.Train.Count;
        double step = StepTime(new Workload("epoch", ResNets.Resnet50, batch, 128, 128, dls.OutputCount, false), device, batch, Math.Min(trainBatches, 30), 3);
        double compute = step * trainBatches / 1000;
        Console.WriteLine($"project epoch-train resnet50-128 {timer.Seconds:F2} s for {trainBatches} batches of {batch} from JPEG (decode, RandomResizedCrop, aug_transforms on the device, train)");
        Console.WriteLine($"project epoch-compute resnet50-128 {compute:F2} s for the same number of synthetic steps ({step:F2} ms/step)");
        Console.WriteLine($"project epoch-ratio {timer.Seconds / compute:F2} (pipeline epoch / pure compute)");
    }

    sealed class TrainTimer(Device device) : Callback
    {
        readonly Stopwatch clock = new();
        public double Seconds => clock.Elapsed.TotalSeconds;
        public override void BeforeTrain() { Sync(device); clock.Restart(); }
        public override void AfterTrain() { Sync(device); clock.Stop(); }
    }

    static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }
}
