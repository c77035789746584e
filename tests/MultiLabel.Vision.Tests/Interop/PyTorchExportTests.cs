using MultiLabel.Vision.Models;
using MultiLabel.Vision.Serialization;
using MultiLabel.Vision.Tests.Training;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Interop;

/// <summary>fastai's state-dict names, and the errors of a PyTorch export or import that does not fit.</summary>
public sealed class PyTorchExportTests
{
    [Fact]
    public void Keys_are_fastais_child_indices_at_the_first_two_levels()
    {
        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet34, pretrained: false, yRange: (-1, 1), seed: 1);
        var names = FastaiKeys.For(learn.Model);

        Assert.Equal("0.0.weight", names["body.conv1.weight"]);
        Assert.Equal("0.1.running_var", names["body.bn1.running_var"]);
        Assert.Equal("0.4.0.conv1.weight", names["body.layer1.0.conv1.weight"]);
        Assert.Equal("0.7.2.bn2.num_batches_tracked", names["body.layer4.2.bn2.num_batches_tracked"]);
        Assert.Equal("0.5.0.downsample.1.weight", names["body.layer2.0.downsample.1.weight"]);
        Assert.Equal("1.2.weight", names["head.bn1.weight"]);
        Assert.Equal("1.4.weight", names["head.lin1.weight"]);
        Assert.Equal("1.6.running_mean", names["head.bn2.running_mean"]);
        Assert.Equal("1.8.weight", names["head.lin2.weight"]);
        Assert.Equal(names.Count, names.Values.Distinct().Count());
        Assert.True(FastaiKeys.AreWholeModel(names.Values));
        Assert.False(FastaiKeys.AreWholeModel(["conv1.weight", "layer1.0.conv1.weight", "fc.weight"]));
    }

    [Fact]
    public void An_export_names_its_files_and_rejects_other_extensions()
    {
        using var temp = new TempFolder();
        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => learn.ExportPyTorch(temp.File("model.bin")));
        var files = learn.ExportPyTorch(temp.File("model.pt"));

        Assert.StartsWith($"A PyTorch export is a .pth, .pt or .safetensors file, not '{temp.File("model.bin")}'.", error.Message);
        Assert.Equal((temp.File("model.pt"), temp.File("model.json")), (files.Weights, files.Config));
        Assert.Equal(["model.json", "model.pt"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void An_mlx_is_a_zip_of_exactly_what_ExportPyTorch_writes()
    {
        using var temp = new TempFolder();
        using (var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1))
        {
            learn.Export(temp.File("learner.mlx"));
            learn.ExportPyTorch(temp.File("model.safetensors"));
        }
        using var zip = System.IO.Compression.ZipFile.OpenRead(temp.File("learner.mlx"));
        byte[] Entry(string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        Assert.Equal(["model.json", "model.safetensors"], zip.Entries.Select(e => e.FullName).Order());
        Assert.Equal(File.ReadAllBytes(temp.File("model.safetensors")), Entry("model.safetensors"));
        // The same description; its stateDict names the file beside it, which is model.safetensors in both.
        Assert.Equal(File.ReadAllText(temp.File("model.json")), System.Text.Encoding.UTF8.GetString(Entry("model.json")));
        using var loaded = Learner.Load(temp.File("learner.mlx"), CPU);
        Assert.Equal("resnet18", loaded.Arch);
    }

    [Theory]
    [InlineData("outputs", "3", "a vocabulary of 10 labels for 3 outputs.")]
    [InlineData("threshold", "1.5", "threshold 1.5 is not between 0 and 1.")]
    [InlineData("kind", "\"Boxes\"", "unknown target kind 'Boxes'; known: MultiLabel, Category, Points, Regression.")]
    [InlineData("arch", "\"vgg16\"", "unknown architecture 'vgg16'; known: resnet18, resnet34, resnet50.")]
    [InlineData("resize", "[0, 64]", "resize must be [height, width], each 1 to 8192.")]
    [InlineData("yRange", "[1, -1]", "yRange must be [low, high] with low < high.")]
    [InlineData("itemTransforms", "[{\"type\": \"Rotate\", \"height\": 64, \"width\": 64}]", "item transform Rotate: unknown type; known: Resize, RandomResizedCrop.")]
    [InlineData("itemTransforms", "[{\"type\": \"Resize\", \"height\": 100000, \"width\": 64, \"method\": \"Crop\", \"padMode\": \"Zeros\"}]", "item transform Resize: size 100000×64 is not 1 to 8192 pixels a side.")]
    [InlineData("normalize", "{\"mean\": [0, 0, 0], \"std\": [1, 0, 1]}", "normalize needs three finite means and three positive finite standard deviations.")]
    [InlineData("outputs", "\"five\"", "is not an export's description: The JSON value could not be converted to MultiLabel.Vision.Serialization.ExportConfig. Path: $.outputs")]
    public void A_description_is_checked_once_on_load_and_errors_name_the_file(string property, string value, string expected)
    {
        using var temp = new TempFolder();
        using (var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1))
            learn.ExportPyTorch(temp.File("model.safetensors"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(temp.File("model.json")))!;
        Assert.Equal(10, json["vocab"]!.AsArray().Count); // the premise of the first case
        json[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        File.WriteAllText(temp.File("model.json"), json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => Learner.Load(temp.File("model.safetensors"), CPU));

        Assert.StartsWith($"'{temp.File("model.json")}'", error.Message);
        Assert.True(error.Message.Contains(expected), error.Message);
    }

    [Fact]
    public void Loading_back_needs_the_json_and_a_model_that_fits()
    {
        using var temp = new TempFolder();
        using (var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1))
            learn.ExportPyTorch(temp.File("model.safetensors"));
        File.Copy(temp.File("model.safetensors"), temp.File("alone.safetensors"));

        var noJson = Assert.Throws<FileNotFoundException>(() => Learner.Load(temp.File("alone.safetensors"), CPU));
        Assert.Equal($"'{temp.File("alone.safetensors")}' has no description beside it: expected '{temp.File("alone.json")}' (written by ExportPyTorch, copied by the PyTorch scripts).", noJson.Message);

        // The same file for a learner whose data has another number of outputs: the head's last layer does not fit.
        var exported = TinyScenes.Loaders(rows: 64).OutputCount;
        var fewer = TinyScenes.Loaders(rows: 64, label: l => l.Length > 0 ? l[..1] : l); // circle, crescent and cross are all "c"
        Assert.NotEqual(exported, fewer.OutputCount);
        var outputs = Assert.Throws<InvalidDataException>(() => VisionLearner.Create(fewer, ResNets.ResNet18, pretrainedWeights: temp.File("model.safetensors")));
        Assert.Contains($"shape or type mismatch: 1.8.weight (model Float32 [{fewer.OutputCount}, 512], file Float32 [{exported}, 512])", outputs.Message);

        // Another architecture: the keys the file lacks are named.
        var wrongArch = Assert.Throws<InvalidDataException>(() => VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet34, pretrainedWeights: temp.File("model.safetensors")));
        Assert.StartsWith($"'{temp.File("model.safetensors")}' does not fit a resnet34 with {exported} outputs (fastai's names): missing 80 key(s): 0.4.2.conv1.weight,", wrongArch.Message);
        Assert.Contains("0.4.2.conv1.weight", wrongArch.Message);
    }
}
