using System.Diagnostics;
using System.Runtime;
using MultiLabel.Native;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;

namespace MultiLabel.Cli;

/// <summary>
/// Trains, validates and predicts with the chapter's pipeline at tiny sizes while another thread forces garbage
/// collections without pause. A native call that uses a managed object the collector may finalize meanwhile (TorchSharp's
/// implicitly created Scalars) fails here within seconds; the notebook kernel's collector settings (workstation,
/// concurrent) are what this is meant to run under, and the report says which collector ran.
/// </summary>
static class GcStress
{
    public static int Run(Options options)
    {
        TorchRuntime.Initialize();
        var datasets = options.Text("datasets", "datasets");
        int seconds = options.Int("seconds", 30), size = options.Int("size", 32, min: 16), batch = options.Int("batch", 8), rows = options.Int("rows", 96);
        var arch = ResNets.Get(options.Text("arch", "resnet18"));
        Console.WriteLine($"gc-stress: multi-label and keypoints, {arch.Name} at {size}px, batch {batch}, {rows} rows, {seconds} s; collector: {(GCSettings.IsServerGC ? "server" : "workstation")}, " +
                          $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}");

        var dls = BundledData.Scenes(datasets, rows, size + size / 2, batch, batchTfms: [new AugTransforms(size: (size, size))]);
        using var learn = VisionLearner.Create(dls, arch, pretrained: false, metrics: [new AccuracyMulti(threshold: 0.2f)], seed: 1);
        // Keypoints too: points move with the augmentation, SigmoidRange keeps outputs in range, MSE masks unknown points.
        var (pdls, frames) = BundledData.HeadPoses(datasets, rows, size, batch);
        using var plearn = VisionLearner.Create(pdls, arch, pretrained: false, yRange: (-1, 1), seed: 1);

        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "gc-stress collector" };
        collector.Start();

        var clock = Stopwatch.StartNew();
        int rounds = 0;
        try
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                learn.FitOneCycle(1, 1e-3);
                learn.GetPreds().ToString();
                plearn.FitOneCycle(1, 1e-3);
                plearn.Predict(frames[0].ImagePath).ToString();
                rounds++;
            }
        }
        catch (Exception e)
        {
            stop.Cancel();
            Console.WriteLine($"gc-stress FAILED after {clock.Elapsed.TotalSeconds:F1} s, {rounds} rounds, {Interlocked.Read(ref collections)} collections: {e}");
            return 1;
        }
        stop.Cancel();
        collector.Join();
        Console.WriteLine($"gc-stress passed: {rounds} rounds ({rounds * (dls.Train.Count + pdls.Train.Count)} training batches) in {clock.Elapsed.TotalSeconds:F1} s, {collections} forced collections");
        return 0;
    }
}
