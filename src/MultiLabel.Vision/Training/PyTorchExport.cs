using System.Text.Json;
using System.Text.Json.Nodes;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>The two files of a PyTorch export: the state dict and the JSON that describes the model and its data.</summary>
public sealed record PyTorchExportFiles(string Weights, string Config);

/// <summary>
/// The way out to PyTorch, for what TorchSharp cannot do (torchrun, DistributedDataParallel, many GPUs or machines): the
/// whole model as a state dict with fastai's <c>vision_learner</c> names (<see cref="FastaiKeys"/>), as a <c>.pth</c> that
/// <c>torch.load</c> reads or a <c>.safetensors</c> file, and beside it a JSON with the architecture, targets, vocabulary
/// and normalisation (<c>pytorch/multilabel_model.py</c> rebuilds the model from it). The way back is
/// <see cref="Learner.Load"/>, or <c>VisionLearner.Create(..., pretrainedWeights:)</c> to train on here.
/// </summary>
public static class PyTorchExport
{
    /// <summary>Writes the learner's model to <paramref name="path"/> (<c>.pth</c>, <c>.pt</c> or <c>.safetensors</c>) and
    /// its description to the same name with <c>.json</c>; each file is written whole or not at all.</summary>
    public static PyTorchExportFiles ExportPyTorch(this Learner learn, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        if (!safetensors && !path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"A PyTorch export is a .pth, .pt or .safetensors file, not '{path}'.", nameof(path));
        var config = LearnerExport.Config(learn);
        config["stateDict"] = new JsonObject { ["file"] = Path.GetFileName(path), ["names"] = "fastai vision_learner (0 = body by child index, 1 = head)" };
        var names = FastaiKeys.For(learn.Model);
        var weights = learn.Float32Weights();
        var ordered = StateDictOrder(learn.Model).Where(weights.ContainsKey).ToDictionary(key => names[key], key => weights[key]);
        Native.Files.AtomicFile.Write(path, stream =>
        {
            if (safetensors) TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, ordered);
            else TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(stream, ordered, true);
        });
        var configPath = ConfigPath(path);
        Native.Files.AtomicFile.Write(configPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
        return new PyTorchExportFiles(Path.GetFullPath(path), Path.GetFullPath(configPath));
    }

    /// <summary>Loads a PyTorch export (this project's, or one trained on by <c>pytorch/train_ddp.py</c>) for prediction:
    /// <paramref name="path"/> is the state dict and its <c>.json</c> must lie beside it.</summary>
    internal static ExportedLearner Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The PyTorch export '{path}' does not exist.", path);
        var configPath = ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"'{path}' has no description beside it: expected '{configPath}' (written by ExportPyTorch, copied by the PyTorch scripts).", configPath);
        Native.TorchRuntime.Initialize();
        JsonNode json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(configPath)) ?? throw new InvalidDataException($"'{configPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{configPath}' is not valid JSON: {e.Message}", e);
        }
        try
        {
            return LearnerExport.FromConfig(json, configPath, device, model => LoadWholeModel(model, path));
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or KeyNotFoundException or FormatException or ArgumentException or InvalidCastException)
        {
            throw new InvalidDataException($"'{configPath}' does not describe a model: {e.Message}", e);
        }
    }

    static void LoadWholeModel(TorchSharp.Modules.Sequential model, string path)
    {
        var source = PyTorchWeights.Read(path);
        try
        {
            CopyWholeModel(model, source, path, "the model its .json describes");
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>Fills a whole model (body and head) from a state dict with fastai's names; missing, extra and misshapen
    /// keys are named, against <paramref name="description"/>.</summary>
    internal static void CopyWholeModel(TorchSharp.Modules.Sequential model, IReadOnlyDictionary<string, Tensor> source, string path, string description)
    {
        if (!FastaiKeys.AreWholeModel(source.Keys))
            throw new InvalidDataException($"'{path}' is not a whole fastai model: its keys do not start with 0. (body) and 1. (head).");
        PyTorchWeights.Copy(model, source, path, FastaiKeys.For(model), description);
    }

    static string ConfigPath(string weights) => Path.ChangeExtension(weights, ".json");

    /// <summary>PyTorch's state-dict order: modules depth first, each module's own parameters, then its own buffers.</summary>
    static IEnumerable<string> StateDictOrder(nn.Module model)
    {
        foreach (var (name, module) in model.named_modules().Prepend(("", model)))
        {
            var prefix = name.Length == 0 ? "" : name + ".";
            foreach (var (parameter, _) in module.named_parameters(recurse: false)) yield return prefix + parameter;
            foreach (var (buffer, _) in module.named_buffers(recurse: false)) yield return prefix + buffer;
        }
    }
}
