using MultiLabel.Native;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;

namespace MultiLabel.Cli;

/// <summary>Exports a small learner to the same file again and again, printing a line after each, so that a test can
/// kill the process at any moment of a write and check that the file is always a complete export.</summary>
static class ExportSoak
{
    public static int Run(Options options)
    {
        TorchRuntime.Initialize();
        var output = options.Text("out", "") is { Length: > 0 } o ? o : throw new ArgumentException("option '--out' (the export file) is required");
        int seconds = options.Int("seconds", 30);
        var dls = BundledData.Scenes(options.Text("datasets", "datasets"), rows: 32, size: 32, batch: 8, workers: 1);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int n = 1; clock.Elapsed.TotalSeconds < seconds; n++)
        {
            learn.Export(output);
            Console.WriteLine($"exported {n}");
        }
        return 0;
    }
}
