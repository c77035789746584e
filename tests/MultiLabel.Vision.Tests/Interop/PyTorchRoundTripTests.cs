using System.Text.Json.Nodes;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Interop;

/// <summary>
/// The way out to PyTorch and back, with Debian's python3-torch and python3-torchvision (installed by the test command):
/// the export rebuilt by <c>pytorch/multilabel_model.py</c> computes what C# computes; <c>pytorch/train_ddp.py</c> under
/// torchrun with two gloo processes on this machine trains it on; C# loads the result and computes what PyTorch does.
/// </summary>
[Trait("Tier", "Slow")] // starts PyTorch and torchrun: half a minute; left out by scripts/test.sh --fast
public sealed class PyTorchRoundTripTests(ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3";
    const double Tolerance = 1e-4;
    static readonly string Scenes = Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick");

    /// <summary>All of the scenes (PyTorch trains on the folder, so the vocabulary must be the folder's), at 64 px.</summary>
    static DataLoaders Loaders() =>
        new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => Path.Combine(Scenes, "train", r["fname"]),
                r => r["labels"].Split(' ', StringSplitOptions.RemoveEmptyEntries), Splitters.ColSplitter(),
                itemTfms: [new Resize(64)])
            .DataLoaders(Table.ReadCsv(Path.Combine(Scenes, "train.csv")).Rows, batchSize: 8, seed: 2, device: CPU, workers: 2);

    [Fact]
    public void Export_trains_on_under_torchrun_with_DDP_and_comes_back()
    {
        using var temp = new TempFolder();
        using var learn = VisionLearner.Create(Loaders(), ResNets.ResNet18, seed: 1);
        var pth = learn.ExportPyTorch(temp.File("model.pth"));
        learn.ExportPyTorch(temp.File("model.safetensors"));

        // One real validation batch, prepared by the C# pipeline, and what the C# model makes of it.
        var (input, expected) = ValidationBatch(learn);
        using (input)
        using (expected)
        {
            TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(temp.File("batch.pth"), new Dictionary<string, Tensor> { ["input"] = input });

            // 1. PyTorch rebuilds the model from either file and computes the same outputs.
            foreach (var file in new[] { "model.pth", "model.safetensors" })
                using (var pytorch = PythonPredict(temp, file))
                    AssertClose(expected, pytorch, $"PyTorch on {file}");

            // 2. torchrun, 2 processes, gloo: the head and BatchNorm train on (fastai's frozen phase) and the loss falls.
            var log = Torchrun(temp, "model.pth", "continued.pth", "--freeze", "--lr", "1e-2", "--max-steps", "16", "--batch-size", "16");
            Assert.Equal(2, (int)log["world_size"]!);
            Assert.Equal("gloo", (string)log["backend"]!);
            var losses = ((JsonArray)log["losses"]!).Select(l => (double)l!).ToArray();
            Assert.Equal(16, losses.Length);
            double first = losses[..4].Average(), last = losses[^4..].Average();
            output.WriteLine($"DDP losses {string.Join(" ", losses.Select(l => l.ToString("F3")))}; valid {(double)log["valid_loss_before"]!:F4} -> {(double)log["valid_loss"]!:F4}");
            Assert.True(last < 0.95 * first, $"the training loss did not fall: first four steps {first:F4}, last four {last:F4}");
            Assert.True((double)log["valid_loss"]! < (double)log["valid_loss_before"]!, "the validation loss did not fall");

            // 3. Back in C#: the trained-on model computes what PyTorch computes, loaded for prediction and as a learner.
            using var continued = PythonPredict(temp, "continued.pth");
            Assert.True((expected - continued).abs().max().item<float>() > 1e-3, "training under torchrun did not change the outputs");
            using (var loaded = Learner.Load(temp.File("continued.pth"), CPU))
            {
                using (no_grad())
                using (var back = loaded.Model.call(input))
                    AssertClose(continued, back, "C# on continued.pth (Learner.Load)");
                var prediction = loaded.Predict(Path.Combine(Scenes, "train", "000007.jpg"));
                Assert.Equal(10, prediction.Activations.Count);
            }
            using var again = VisionLearner.Create(Loaders(), ResNets.ResNet18, pretrainedWeights: temp.File("continued.pth"));
            Assert.Equal("the whole model from continued.pth", again.Info!.Weights);
            again.Model.eval();
            using (no_grad())
            using (var back = again.Model.call(input))
                AssertClose(continued, back, "C# on continued.pth (VisionLearner.Create, pretrainedWeights)");
        }
        Assert.Equal(temp.File("model.json"), pth.Config);
    }

    [Fact]
    public void A_ResNet_50_point_model_with_y_range_is_the_same_model_in_PyTorch()
    {
        using var temp = new TempFolder();
        var headpose = Path.Combine(RepositoryRoot.Path, "datasets", "headpose-quick");
        var frames = BiwiHeadPose.Load(headpose).Items.Where(f => f.Person is "01" or "13").Take(400).ToList();
        var dls = new DataBlock<BiwiFrame>((new ImageBlock(), new PointBlock()), f => f.ImagePath, f => new[] { f.Center },
                Splitters.FuncSplitter<BiwiFrame>(f => f.Person == "13"), batchTfms: [new AugTransforms(size: (48, 64))])
            .DataLoaders(frames, batchSize: 8, seed: 2, device: CPU, workers: 2);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet50, pretrained: false, yRange: (-1, 1), seed: 4);
        learn.ExportPyTorch(temp.File("points.pth"));
        var config = JsonNode.Parse(File.ReadAllText(temp.File("points.json")))!;
        Assert.Equal(("resnet50", "Points", 2), ((string)config["arch"]!, (string)config["kind"]!, (int)config["outputs"]!));

        var (input, expected) = ValidationBatch(learn);
        using (input)
        using (expected)
        {
            TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(temp.File("batch.pth"), new Dictionary<string, Tensor> { ["input"] = input });
            using var pytorch = PythonPredict(temp, "points.pth");
            AssertClose(expected, pytorch, "PyTorch on a ResNet-50 point model");
            Assert.True(pytorch.abs().max().item<float>() < 1, "SigmoidRange keeps the outputs inside (-1, 1)");
        }
    }

    static (Tensor Input, Tensor Output) ValidationBatch(Learner learn)
    {
        using var scope = NewDisposeScope();
        var (x, _) = learn.Dls.Valid.First();
        learn.Model.eval();
        using var _ = no_grad();
        var y = learn.Model.call(x);
        // The loader may hand out channels-last tensors; a pickled tensor must be contiguous.
        return (x.detach().contiguous().clone().MoveToOuterDisposeScope(), y.detach().contiguous().clone().MoveToOuterDisposeScope());
    }

    Tensor PythonPredict(TempFolder temp, string export)
    {
        var result = ChildProcess.Check(Python, [Script("predict.py"), temp.File(export), "--tensors", temp.File("batch.pth"), "--out", temp.File("out.pth")]);
        output.WriteLine(result.Trim());
        var table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(temp.File("out.pth"));
        return (Tensor)table["output"]!;
    }

    JsonNode Torchrun(TempFolder temp, string export, string result, params string[] options)
    {
        // --redirects/--tee 1: Debian's torch 1.13 on Python 3.11 cannot parse their default "0" (an IntFlag change).
        var run = ChildProcess.Run(Python,
            ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--redirects", "1", "--tee", "1",
             Script("train_ddp.py"), temp.File(export), Scenes, "--out", temp.File(result), "--log", temp.File("log.json"), .. options],
            timeout: TimeSpan.FromMinutes(10));
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"torchrun exited {run.ExitCode}:\n{run.Output}");
        return JsonNode.Parse(File.ReadAllText(temp.File("log.json")))!;
    }

    static string Script(string name) => Path.Combine(RepositoryRoot.Path, "pytorch", name);

    void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected - actual).abs().max();
        double max = diff.item<float>();
        output.WriteLine($"{what}: max |diff| {max:E2}");
        Assert.True(max <= Tolerance, $"{what}: max |diff| {max:E2} > {Tolerance:E0}");
    }
}
