using System.CommandLine;
using static MultiLabel.Cli.Options;

namespace MultiLabel.Cli;

/// <summary>The `multilabel` command (System.CommandLine): runtime information, checks, benchmarks and tools.</summary>
static class CommandLine
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(Root().Parse(args).Invoke());

    static RootCommand Root()
    {
        var root = new RootCommand("""
            MultiLabel.Interactive's command line: runtime information, quick training checks, benchmarks and tools.
            environment: MULTILABEL_LIBTORCH=<folder> uses that libtorch (e.g. PyTorch's torch/lib for CUDA);
                         TORCH_HOME as PyTorch reads it; MULTILABEL_WEIGHTS_URL=<url> downloads weights from a mirror;
                         FASTAI_HOME as fastai reads it; MULTILABEL_DATA_URL=<url> downloads datasets from a mirror
            """);
        root.Subcommands.Add(Command("info", "what TorchSharp loaded: backend, device, libtorch, patch, threads", [], _ =>
        {
            Console.WriteLine(Vision.Models.Pretrained.RuntimeReport.Describe());
            return 0;
        }));
        root.Subcommands.Add(Command("train-check", "trains a few steps on random tensors and prints the losses",
            [TextOption("arch", "resnet18, resnet34 or resnet50"), IntOption("steps", "training steps"), IntOption("size", "image side in pixels"),
             IntOption("batch", "batch size"), TextOption("device", "cpu or cuda")], TrainCheck.Run));
        root.Subcommands.Add(Command("bench-data", "images/s of decode + item transform + collate (PASCAL-style folder: RandomResizedCrop; BIWI folder: Resize to 240×320)",
            [TextOption("data", "a PASCAL-style or BIWI folder"), IntOption("size", "crop side in pixels (PASCAL-style)"), IntOption("batch", "batch size"),
             IntOption("batches", "batches per figure"), IntOption("workers", "decoding threads")], DataBenchmark.Run));
        root.Subcommands.Add(Command("bench-train", "ms per training step of the chapter workloads (synthetic tensors), fp32 and bf16; epochs from JPEG and memory per epoch",
            [IntOption("steps", "timed steps"), IntOption("warmup", "untimed steps first"), TextOption("workloads", "comma-separated workload names"),
             TextOption("modes", "comma-separated: fp32, bf16+cl"), TextOption("host-overhead", "yes or no: the batch-2 step at 32×32"),
             TextOption("growth", "yes or no: ms per image at batch 2, 4, 16, 64 at two image sizes"),
             TextOption("epoch-data", "a PASCAL-style folder for whole epochs from JPEG"), TextOption("epoch-items", "items for the epochs, comma-separated for several runs (5011)"), IntOption("epochs", "epochs"),
             TextOption("budget-minutes", "time budget in minutes: what has not started by then is skipped (45)")],
            TrainBenchmark.Run));
        root.Subcommands.Add(Command("gc-stress", "trains and predicts while another thread forces collections (finalizer races)",
            [TextOption("datasets", "the datasets folder"), IntOption("seconds", "how long"), TextOption("arch", "resnet18, resnet34 or resnet50"),
             IntOption("size", "image side in pixels"), IntOption("batch", "batch size"), IntOption("rows", "items")], GcStress.Run));
        root.Subcommands.Add(Command("export-soak", "exports a small learner to one file repeatedly (for interrupted-write checks)",
            [TextOption("out", "the export to write"), TextOption("datasets", "the datasets folder"), IntOption("seconds", "how long")], ExportSoak.Run));
        root.Subcommands.Add(Command("weights", "torchvision's ImageNet weights into PyTorch's cache; prints the path",
            [TextOption("arch", "resnet18, resnet34 or resnet50"), TextOption("version", "v1, or v2 for resnet50"), TextOption("file", "any torchvision checkpoint by its published name"),
             TextOption("from", "a mirror's address"), IntOption("timeout", "seconds for the whole download")], WeightsCommand.Run));
        root.Subcommands.Add(Command("untar-data", "fastai's untar_data: a dataset downloaded, checked and extracted into fastai's cache; prints the folder",
            [TextOption("name", "PASCAL_2007, BIWI_HEAD_POSE, BIWI_SAMPLE or an address"), TextOption("force", "yes or no: download and extract again")],
            UntarDataCommand.Run));

        var notebook = new Argument<string>("executed.ipynb") { Description = "an executed notebook" };
        var html = new Argument<string>("out.html") { Description = "the page to write" };
        var render = new Command("render-notebook", "an executed notebook as HTML; prints its RESULT lines") { notebook, html };
        render.SetAction(parsed => Guarded(() => NotebookRenderer.Run([parsed.GetValue(notebook)!, parsed.GetValue(html)!])));
        root.Subcommands.Add(render);
        return root;
    }

    static Command Command(string name, string description, Option[] options, Func<Options, int> run)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(parsed => Guarded(() => run(new Options(parsed))));
        return command;
    }

    /// <summary>Bad option values exit 2, a runtime that cannot do the job 3, each with one "error:" line.</summary>
    static int Guarded(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or DirectoryNotFoundException or DllNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }
    }
}
