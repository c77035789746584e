using System.IO.Compression;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Serialization;

/// <summary>The two files of a PyTorch export: the state dict and the JSON that describes the model and its data.</summary>
public sealed record PyTorchExportFiles(string Weights, string Config);

/// <summary>
/// fastai's <c>learn.export()</c> / <c>load_learner</c>, in one format: the whole model as a state dict with fastai's
/// <c>vision_learner</c> names (<see cref="FastaiKeys"/>) and the <see cref="ExportConfig"/> JSON that rebuilds it and its
/// inference pipeline. <see cref="Learner.ExportPyTorch"/> writes the two as files (<c>.pth</c>/<c>.pt</c>, which
/// <c>torch.load</c> reads, or <c>.safetensors</c>, with its <c>.json</c> beside it) — the way out to PyTorch for what
/// TorchSharp cannot do (torchrun, many GPUs); <see cref="Learner.Export"/> writes exactly the same two, as
/// <c>model.safetensors</c> and <c>model.json</c>, into one zip (<c>.mlx</c>). <see cref="Load"/> reads both with one
/// reader. Every file is written whole or not at all.
/// </summary>
static class LearnerExport
{
    const string ConfigEntry = "model.json", WeightsEntry = "model.safetensors";
    const long MaxConfigBytes = 1L << 20, MaxWeightsBytes = 1L << 30;
    const string KeyNames = "fastai vision_learner (0 = body by child index, 1 = head)";

    /// <summary>Writes the <c>.mlx</c> zip: <c>model.safetensors</c> and <c>model.json</c>, as <see cref="WritePyTorch"/>.</summary>
    public static void WriteMlx(Learner learn, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var config = Config(learn, WeightsEntry);
        var weights = FastaiStateDict(learn);
        // A reader, or a crash at any point, sees the old file or the new one.
        Native.Files.AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open())
                TorchSharp.PyBridge.Safetensors.SaveStateDict(entry, weights);
            using (var entry = zip.CreateEntry(ConfigEntry).Open())
                entry.Write(config.ToJson());
        });
    }

    /// <summary>Writes the state dict to <paramref name="path"/> and the JSON to the same name with <c>.json</c>.</summary>
    public static PyTorchExportFiles WritePyTorch(Learner learn, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        if (!safetensors && !path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"A PyTorch export is a .pth, .pt or .safetensors file, not '{path}'.", nameof(path));
        var config = Config(learn, Path.GetFileName(path));
        var weights = FastaiStateDict(learn);
        Native.Files.AtomicFile.Write(path, stream =>
        {
            if (safetensors) TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, weights);
            else TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(stream, weights, true);
        });
        var configPath = ConfigPath(path);
        Native.Files.AtomicFile.Write(configPath, stream => stream.Write(config.ToJson()));
        return new PyTorchExportFiles(Path.GetFullPath(path), Path.GetFullPath(configPath));
    }

    /// <summary>Loads an export for prediction: a <c>.mlx</c>, or a <c>.pth</c>/<c>.pt</c>/<c>.safetensors</c> with its
    /// <c>.json</c> beside it (also after training on in PyTorch). Errors name the file and what is wrong with it; nothing
    /// is extracted to disk.</summary>
    public static ExportedLearner Load(string path, Device? device)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool pytorch = Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt" or ".safetensors";
        if (!File.Exists(path)) throw new FileNotFoundException($"The {(pytorch ? "PyTorch export" : "exported learner")} '{path}' does not exist.", path);
        Native.TorchRuntime.Initialize();
        var (config, weights) = pytorch ? ReadPyTorch(path) : ReadMlx(path);
        try
        {
            return Build(config, weights, path, device);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    static (ExportConfig, Dictionary<string, Tensor>) ReadMlx(string path)
    {
        using var zip = ArchiveEntries.Open(path, "an exported learner");
        var unexpected = zip.Entries.FirstOrDefault(e => e.FullName is not (ConfigEntry or WeightsEntry));
        if (unexpected is not null) throw new InvalidDataException($"'{path}' is not an exported learner: unexpected entry '{unexpected.FullName}'.");
        var configEntry = zip.GetEntry(ConfigEntry) ?? throw new InvalidDataException($"'{path}' has no {ConfigEntry}: not an exported learner.");
        var config = ExportConfig.Read(ArchiveEntries.Read(configEntry, MaxConfigBytes, path), $"{path}!{ConfigEntry}");
        var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"'{path}' has no {WeightsEntry}.");
        using var buffer = new MemoryStream(ArchiveEntries.Read(weightsEntry, MaxWeightsBytes, path), writable: false);
        return (config, PyTorchWeights.ReadSafetensors(buffer, $"{path}!{WeightsEntry}"));
    }

    static (ExportConfig, Dictionary<string, Tensor>) ReadPyTorch(string path)
    {
        var configPath = ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"'{path}' has no description beside it: expected '{configPath}' (written by ExportPyTorch, copied by the PyTorch scripts).", configPath);
        var info = new FileInfo(configPath);
        if (info.Length > MaxConfigBytes) throw new InvalidDataException($"'{configPath}' is {info.Length:N0} bytes, over the limit of {MaxConfigBytes:N0} for an export's description.");
        var config = ExportConfig.Read(File.ReadAllBytes(configPath), configPath);
        return (config, PyTorchWeights.Read(path));
    }

    /// <summary>Rebuilds the model <paramref name="config"/> describes, fills it from <paramref name="weights"/> (fastai's
    /// names; the model is disposed if they do not fit), and wraps it with the inference pipeline the config names.</summary>
    static ExportedLearner Build(ExportConfig config, Dictionary<string, Tensor> weights, string path, Device? device)
    {
        var arch = ResNets.Get(config.Arch);
        var yRange = config.YRange is { } r ? (r[0], r[1]) : ((double, double)?)null;
        var model = Sequential(("body", (Module<Tensor, Tensor>)ResNets.Build(arch, config.CntkLayout)), ("head", Head.Create(arch.Features, config.Outputs, yRange)));
        try
        {
            CopyWholeModel(model, weights, path, $"a {arch.Name} with {config.Outputs} outputs (fastai's names)");
        }
        catch
        {
            model.Dispose();
            throw;
        }
        var on = device ?? Native.TorchRuntime.DefaultDevice;
        model.to(on).eval();
        var target = config.Target(path);
        var batchTfms = config.Resize is [var height, var width] ? new List<IBatchTransform> { new AugTransforms(size: (height, width)) } : [];
        var normalize = config.Normalize is { } n ? new Normalize(n.Mean, n.Std) : null;
        var pipeline = new InferencePipeline(config.ItemTransforms.Select(t => t.Build()).ToList(), batchTfms, normalize);
        return new ExportedLearner(model, target, config.Threshold, pipeline, on, arch.Name);
    }

    /// <summary>Fills a whole model (body and head) from a state dict with fastai's names; missing, extra and misshapen
    /// keys are named, against <paramref name="description"/>.</summary>
    internal static void CopyWholeModel(TorchSharp.Modules.Sequential model, IReadOnlyDictionary<string, Tensor> source, string path, string description)
    {
        if (!FastaiKeys.AreWholeModel(source.Keys))
            throw new InvalidDataException($"'{path}' is not a whole fastai model: its keys do not start with 0. (body) and 1. (head).");
        PyTorchWeights.Copy(model, source, path, FastaiKeys.For(model), description);
    }

    /// <summary>What rebuilds the learner's model and its inference pipeline.</summary>
    static ExportConfig Config(Learner learn, string stateDictFile)
    {
        var info = learn.Info ?? throw new InvalidOperationException("Only learners made by VisionLearner.Create can be exported (the model must be rebuildable).");
        var inference = learn.Dls.Inference;
        return new ExportConfig
        {
            Arch = info.Arch,
            CntkLayout = info.CntkLayout,
            Outputs = info.Outputs,
            YRange = info.YRange?.ToArray(),
            Kind = learn.Dls.Kind,
            Vocab = learn.Dls.Vocab?.ToArray(),
            Threshold = learn.Threshold,
            ItemTransforms = inference.ItemTfms.Select(ItemTransformConfig.Of).ToArray(),
            Resize = inference.BatchTfms.OfType<AugTransforms>().Select(a => a.Size).FirstOrDefault(s => s is not null) is { } size ? [size.Height, size.Width] : null,
            Normalize = inference.Normalization is { } n ? new NormalizeConfig(n.Mean.ToArray(), n.Std.ToArray()) : null,
            StateDict = new StateDictConfig(stateDictFile, KeyNames),
        };
    }

    /// <summary>The weights as float32 CPU tensors (masters in mixed precision) with fastai's names, in PyTorch's order.</summary>
    static Dictionary<string, Tensor> FastaiStateDict(Learner learn)
    {
        var names = FastaiKeys.For(learn.Model);
        var weights = learn.Float32Weights();
        return StateDictOrder(learn.Model).Where(weights.ContainsKey).ToDictionary(key => names[key], key => weights[key]);
    }

    static string ConfigPath(string weights) => Path.ChangeExtension(weights, ".json");

    /// <summary>PyTorch's state-dict order: modules depth first, each module's own parameters, then its own buffers.</summary>
    static IEnumerable<string> StateDictOrder(Module model)
    {
        foreach (var (name, module) in model.named_modules().Prepend(("", model)))
        {
            var prefix = name.Length == 0 ? "" : name + ".";
            foreach (var (parameter, _) in module.named_parameters(recurse: false)) yield return prefix + parameter;
            foreach (var (buffer, _) in module.named_buffers(recurse: false)) yield return prefix + buffer;
        }
    }
}
