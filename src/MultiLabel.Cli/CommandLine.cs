using MultiLabel.Vision.Native;

namespace MultiLabel.Cli;

/// <summary>The `multilabel` command: runtime information and quick training checks.</summary>
static class CommandLine
{
    const string Usage = """
        usage: multilabel <command> [options]
          info                                   what TorchSharp loaded: backend, device, libtorch, patch, threads
          train-check [--arch resnet18|resnet34|resnet50] [--steps N] [--size PX] [--batch N] [--device cpu|cuda]
                                                 trains a few steps on random tensors and prints the losses
          bench-data [--data folder] [--size PX] [--batch N] [--batches N] [--workers N]
                                                 images/s of decode + RandomResizedCrop + collate (PASCAL-style folder)
          bench-train [--steps N] [--warmup N] [--workloads a,b] [--modes fp32,bf16+cl] [--host-overhead yes|no] [--epoch-data folder [--epoch-items N] [--epochs N]]
                                                 ms per training step of the chapter workloads (synthetic tensors), fp32 and bf16; epochs from JPEG and memory per epoch
          gc-stress [--datasets folder] [--seconds N] [--arch resnet18|resnet34|resnet50] [--size PX] [--batch N] [--rows N]
                                                 trains and predicts while another thread forces collections (finalizer races)
          export-soak --out file [--datasets folder] [--seconds N]
                                                 exports a small learner to one file repeatedly (for interrupted-write checks)
          weights [--arch resnet18|resnet34|resnet50] [--version v1|v2] [--file NAME] [--from URL] [--timeout S]
                                                 torchvision's ImageNet weights into PyTorch's cache; prints the path
          render-notebook <executed.ipynb> <out.html>
                                                 an executed notebook as HTML; prints its RESULT lines
        environment: MULTILABEL_LIBTORCH=<folder> uses that libtorch (e.g. PyTorch's torch/lib for CUDA);
                     TORCH_HOME as PyTorch reads it; MULTILABEL_WEIGHTS_URL=<url> downloads weights from a mirror
        """;

    public static Task<int> RunAsync(string[] args)
    {
        try
        {
            return Task.FromResult(args.FirstOrDefault() switch
            {
                "info" => Info(),
                "train-check" => TrainCheck.Run(Options.Parse(args.Skip(1))),
                "bench-data" => DataBenchmark.Run(Options.Parse(args.Skip(1))),
                "bench-train" => TrainBenchmark.Run(Options.Parse(args.Skip(1))),
                "gc-stress" => GcStress.Run(Options.Parse(args.Skip(1))),
                "export-soak" => ExportSoak.Run(Options.Parse(args.Skip(1))),
                "weights" => WeightsCommand.Run(Options.Parse(args.Skip(1))),
                "render-notebook" => NotebookRenderer.Run(args.Skip(1).ToArray()),
                null or "-h" or "--help" or "help" => Help(0),
                var other => Unknown(other),
            });
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(2);
        }
        catch (Exception e) when (e is InvalidOperationException or DirectoryNotFoundException or DllNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(3);
        }
    }

    static int Info()
    {
        Console.WriteLine(TorchRuntime.Describe());
        return 0;
    }

    static int Help(int code)
    {
        Console.WriteLine(Usage);
        return code;
    }

    static int Unknown(string command)
    {
        Console.Error.WriteLine($"error: unknown command '{command}'");
        return Help(2);
    }
}
