using System.Diagnostics;
using MultiLabel.Native;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>A few Adam steps of a ResNet with fastai's head on random tensors: proves libtorch trains here. Built from the
/// engine's parts (its ResNet blocks, BatchNorm and Adam hold their Scalars; TorchSharp's own would race the finalizer).</summary>
static class TrainCheck
{
    public static int Run(Options options)
    {
        var runtime = TorchRuntime.Initialize();
        var arch = options.Text("arch", "resnet18");
        int steps = options.Int("steps", 3), size = options.Int("size", 64, min: 32), batch = options.Int("batch", 8);
        var device = options.Text("device", runtime.IsCuda ? "cuda" : "cpu") switch
        {
            "cpu" => CPU,
            "cuda" => CUDA,
            var d => throw new ArgumentException($"option '--device' must be cpu or cuda, got '{d}'"),
        };
        Console.WriteLine($"{arch}, {steps} steps, batch {batch}, {size}px on {device.type} (oneDNN {(runtime.MkldnnEnabled ? "on" : "off")})");

        manual_seed(0);
        using var model = Create(ResNets.Get(arch), classes: 20);
        model.to(device);
        model.train();
        using var optimizer = new Adam(ParameterGroups.Single(model));
        var loss = new BCEWithLogitsLossFlat();
        using var x = randn(batch, 3, size, size, device: device);
        using var y = TrainBenchmark.RandomLabels(batch, 20, device);
        for (int step = 1; step <= steps; step++)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var value = loss.Compute(model.call(x), y);
            value.backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            Console.WriteLine($"step {step}: loss {value.item<float>():F4} ({clock.ElapsedMilliseconds} ms)");
        }
        return 0;
    }

    static nn.Module<Tensor, Tensor> Create(Arch arch, int classes) =>
        nn.Sequential(("body", (nn.Module<Tensor, Tensor>)ResNets.Build(arch, cntkLayout: false)), ("head", Head.Create(arch.Features, classes)));
}
