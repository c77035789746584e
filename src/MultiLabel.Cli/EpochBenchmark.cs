using System.Diagnostics;
using MultiLabel.Native;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>
/// Whole epochs of the multi-label chapter workload (ResNet-50 at 128 px from JPEGs: decode, RandomResizedCrop,
/// aug_transforms on the device, train) against the same number of pure compute steps, in float32 and in mixed
/// precision; and memory after every epoch (GPU memory in use, process RSS, live tensor handles), to show that
/// nothing grows from epoch 2 to the last.
/// </summary>
static class EpochBenchmark
{
    public static void Run(string folder, Device device, int batch, int maxItems, int epochs, IReadOnlyList<TrainBenchmark.Mode> modes, RunBudget budget)
    {
        if (!modes.Contains(TrainBenchmark.Mode.Fp32) || !budget.Allows($"epochs from JPEG on {maxItems} items")) return;
        var items = PascalCsv.Load(folder).Items.Take(maxItems).ToList();
        var block = new DataBlock<PascalItem>((new ImageBlock(), new MultiCategoryBlock()), i => i.ImagePath, i => i.Labels,
            Splitters.RandomSplitter<PascalItem>(0.2, seed: 1), itemTfms: [new RandomResizedCrop(128, minScale: 0.35)], batchTfms: [new AugTransforms()]);
        var dls = block.DataLoaders(items, batchSize: batch, seed: 1, device: device);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet50, pretrained: false, seed: 1);
        learn.Unfreeze();
        var monitor = new EpochMonitor(device);
        learn.Add(monitor);
        int batches = dls.Train.Count;

        learn.Fit(1, 1e-3); // warm-up epoch (allocator, cuDNN autotuning, page cache)
        monitor.Clear();
        learn.Fit(epochs, 1e-3);
        for (int e = 0; e < monitor.Epochs.Count; e++)
        {
            var m = monitor.Epochs[e];
            Console.WriteLine($"project epoch {e + 1} fp32 train {m.Seconds:F2} s, gpu memory {Mib(m.GpuBytes)}, rss {Mib(m.RssBytes)}, live tensor handles {m.LiveTensors}");
        }
        Report("fp32", monitor, batches, batch, device, TrainBenchmark.Mode.Fp32, dls.OutputCount);
        var second = monitor.Epochs[1];
        var last = monitor.Epochs[^1];
        if (second.GpuBytes is { } g2 && last.GpuBytes is { } gl)
            Console.WriteLine($"project memory-ratio gpu epoch{epochs}/epoch2 {(double)gl / g2:F3} ({Mib(gl)} vs {Mib(g2)})");
        Console.WriteLine($"project memory-ratio rss epoch{epochs}/epoch2 {(double)last.RssBytes / second.RssBytes:F3} ({Mib(last.RssBytes)} vs {Mib(second.RssBytes)})");
        Console.WriteLine($"project live-tensor-handles epoch2 {second.LiveTensors} epoch{epochs} {last.LiveTensors}");

        if (!modes.Contains(TrainBenchmark.Mode.Bf16ChannelsLast) || !budget.Allows($"bf16+cl epochs from JPEG on {maxItems} items")) return;
        learn.ToBf16();
        learn.Fit(1, 1e-3);
        monitor.Clear();
        learn.Fit(2, 1e-3);
        Report("bf16+cl", monitor, batches, batch, device, TrainBenchmark.Mode.Bf16ChannelsLast, dls.OutputCount);
    }

    static void Report(string tag, EpochMonitor monitor, int batches, int batch, Device device, TrainBenchmark.Mode mode, int outputs)
    {
        var times = monitor.Epochs.Select(e => e.Seconds).ToList();
        double median = Median.Of(times).Median;
        var workload = new TrainBenchmark.Workload("epoch", ResNets.ResNet50, batch, 128, 128, outputs, false);
        var step = TrainBenchmark.StepTime(workload, device, batch, Math.Min(batches, 30), 3, mode);
        double compute = step.Milliseconds * batches / 1000;
        Console.WriteLine($"project epoch-train resnet50-128 {tag} {median:F2} s for {batches} batches of {batch} from JPEG (median of {times.Count} epochs)");
        Console.WriteLine($"project epoch-compute resnet50-128 {tag} {compute:F2} s for the same number of synthetic steps ({step.Milliseconds:F2} ms/step)");
        // Above 1.0 by the loader's share of the epoch (what the compute steps do not wait for is hidden by prefetching).
        Console.WriteLine($"project epoch-ratio {tag} {median / compute:F2} (pipeline epoch / pure compute over {batches} batches; target ≤ 1.15)");
    }

    static string Mib(long? bytes) => bytes is { } b ? $"{b / 1048576.0:F0} MiB" : "n/a";

    sealed record EpochFigures(double Seconds, long? GpuBytes, long RssBytes, long LiveTensors);

    /// <summary>Times each epoch's training phase and samples memory after each epoch.</summary>
    sealed class EpochMonitor(Device device) : Callback
    {
        readonly Stopwatch clock = new();
        public List<EpochFigures> Epochs { get; } = [];
        public void Clear() => Epochs.Clear();

        public override void BeforeTrain() { TrainBenchmark.Sync(device); clock.Restart(); }
        public override void AfterTrain() { TrainBenchmark.Sync(device); clock.Stop(); }

        public override void AfterEpoch()
        {
            TrainBenchmark.Sync(device);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Epochs.Add(new EpochFigures(clock.Elapsed.TotalSeconds, TorchRuntime.CudaMemory()?.Used, Environment.WorkingSet,
                DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        }
    }
}
