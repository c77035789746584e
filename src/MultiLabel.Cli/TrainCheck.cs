using System.Diagnostics;
using MultiLabel.Vision.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Cli;

/// <summary>A few Adam steps of a torchvision ResNet on random tensors: proves libtorch trains here.</summary>
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
        using var model = Create(arch, classes: 20).to(device);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(batch, 3, size, size, device: device);
        using var y = (rand(batch, 20, device: device) > 0.8).to(float32);
        for (int step = 1; step <= steps; step++)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(x), y);
            loss.backward();
            optimizer.step();
            Console.WriteLine($"step {step}: loss {loss.item<float>():F4} ({clock.ElapsedMilliseconds} ms)");
        }
        return 0;
    }

    static nn.Module<Tensor, Tensor> Create(string arch, int classes) => arch switch
    {
        "resnet18" => torchvision.models.resnet18(num_classes: classes),
        "resnet34" => torchvision.models.resnet34(num_classes: classes),
        "resnet50" => torchvision.models.resnet50(num_classes: classes),
        _ => throw new ArgumentException($"option '--arch' must be resnet18, resnet34 or resnet50, got '{arch}'"),
    };
}
