using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Training;

/// <summary>
/// learn.export / load_learner (<c>learn.Export(path)</c>, <c>Learner.Load(path)</c>): one zip file holding <c>learner.json</c> (architecture, outputs, y_range, target kind,
/// vocabulary, threshold, the validation transforms and normalisation) and <c>weights.safetensors</c>. Written to a
/// temporary file and renamed, so a crash never leaves half a file.
/// </summary>
public static class LearnerExport
{
    const int FormatVersion = 1;

    /// <summary>fastai's <c>learn.export()</c>: writes the model and what rebuilds its inference pipeline to
    /// <paramref name="path"/> (by convention <c>.mlx</c>); <see cref="Learner.Load"/> reads it back for prediction.</summary>
    public static void Export(this Learner learn, string path)
    {
        var json = Config(learn);
        // A reader, or a crash at any point, sees the old file or the new one.
        Native.Files.AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var writer = new StreamWriter(zip.CreateEntry(JsonEntry).Open()))
                writer.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            var weights = learn.Float32Weights(); // float32 whatever the training precision
            using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open())
                TorchSharp.PyBridge.Safetensors.SaveStateDict(entry, weights);
        });
    }

    /// <summary>What rebuilds the learner's model and its inference pipeline: architecture, outputs, y_range, target
    /// kind, vocabulary, threshold, validation transforms, normalisation (also the JSON beside a PyTorch export).</summary>
    internal static JsonObject Config(Learner learn)
    {
        var info = learn.Info ?? throw new InvalidOperationException("Only learners made by VisionLearner.Create can be exported (the model must be rebuildable).");
        return new JsonObject
        {
            ["format"] = FormatVersion,
            ["arch"] = info.Arch,
            ["cntkLayout"] = info.CntkLayout,
            ["outputs"] = info.Outputs,
            ["yRange"] = info.YRange is null ? null : new JsonArray(info.YRange.Select(v => (JsonNode)v).ToArray()),
            ["kind"] = learn.Dls.Kind.ToString(),
            ["vocab"] = learn.Dls.Vocab is null ? null : new JsonArray(learn.Dls.Vocab.Select(v => (JsonNode)v).ToArray()),
            ["threshold"] = learn.Threshold,
            ["itemTransforms"] = new JsonArray(learn.Dls.Inference.ItemTfms.Select(Describe).ToArray()),
            ["resize"] = learn.Dls.Inference.BatchTfms.OfType<AugTransforms>().Select(a => a.Size).FirstOrDefault(s => s is not null) is { } size
                ? new JsonArray(size.Height, size.Width) : null,
            ["normalize"] = learn.Dls.Inference.Normalization is { } n
                ? new JsonObject { ["mean"] = new JsonArray(n.Mean.Select(v => (JsonNode)v).ToArray()), ["std"] = new JsonArray(n.Std.Select(v => (JsonNode)v).ToArray()) }
                : null,
        };
    }

    const string JsonEntry = "learner.json", WeightsEntry = "weights.safetensors";
    const long MaxJsonBytes = 1L << 20, MaxWeightsBytes = 1L << 30;

    /// <summary>Loads an exported learner for prediction (fastai's load_learner). A file that is not a complete export, or
    /// one whose contents do not fit the model it describes, is an error naming the file; nothing is extracted to disk.</summary>
    internal static ExportedLearner Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The exported learner '{path}' does not exist.", path);
        Native.TorchRuntime.Initialize();
        try
        {
            return LoadChecked(path, device);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or KeyNotFoundException or FormatException or ArgumentException or InvalidCastException)
        {
            throw new InvalidDataException($"'{path}' is not a valid exported learner: {e.Message}", e);
        }
    }

    static ExportedLearner LoadChecked(string path, Device? device)
    {
        using var zip = Models.Pretrained.ArchiveEntries.Open(path, "an exported learner");
        var unexpected = zip.Entries.FirstOrDefault(e => e.FullName is not (JsonEntry or WeightsEntry));
        if (unexpected is not null) throw new InvalidDataException($"'{path}' is not an exported learner: unexpected entry '{unexpected.FullName}'.");
        var jsonEntry = zip.GetEntry(JsonEntry) ?? throw new InvalidDataException($"'{path}' has no {JsonEntry}: not an exported learner.");
        var json = JsonNode.Parse(Models.Pretrained.ArchiveEntries.Read(jsonEntry, MaxJsonBytes, path))
                   ?? throw new InvalidDataException($"'{path}': {JsonEntry} is empty.");
        var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"'{path}' has no {WeightsEntry}.");
        var buffer = new MemoryStream(Models.Pretrained.ArchiveEntries.Read(weightsEntry, MaxWeightsBytes, path), writable: false);
        return FromConfig(json, path, device, model =>
        {
            var shapes = Models.Pretrained.SafetensorsHeader.Check(buffer, $"{path}!{WeightsEntry}");
            var expected = model.state_dict();
            var wrong = expected.Where(kv => !shapes.TryGetValue(kv.Key, out var shape) || !shape.SequenceEqual(kv.Value.shape))
                .Select(kv => shapes.TryGetValue(kv.Key, out var shape) ? $"{kv.Key} [{string.Join(", ", shape)}], model [{string.Join(", ", kv.Value.shape)}]" : $"{kv.Key} missing")
                .ToList();
            if (wrong.Count > 0)
                throw new InvalidDataException($"'{path}': the weights do not fit a {json["arch"]} with {json["outputs"]} outputs: {string.Join("; ", wrong.Take(8))}{(wrong.Count > 8 ? "; …" : "")}.");
            var weights = TorchSharp.PyBridge.Safetensors.LoadStateDict(buffer, false, null!);
            try
            {
                using (no_grad())
                    foreach (var (key, t) in expected)
                    {
                        var w = weights[key];
                        if (w.is_floating_point() != t.is_floating_point())
                            throw new InvalidDataException($"'{path}': weight '{key}' is {w.dtype}, the model holds {t.dtype}.");
                        t.copy_(w);
                    }
            }
            finally
            {
                foreach (var w in weights.Values) w.Dispose();
            }
        });
    }

    /// <summary>Rebuilds the model a <see cref="Config"/> describes, fills it with <paramref name="loadWeights"/> (the model
    /// is disposed if that throws), and wraps it with the inference pipeline the config names.</summary>
    internal static ExportedLearner FromConfig(JsonNode json, string path, Device? device, Action<TorchSharp.Modules.Sequential> loadWeights)
    {
        if ((int?)json["format"] != FormatVersion) throw new InvalidDataException($"'{path}' has export format {json["format"]}; this version reads {FormatVersion}.");
        var arch = ResNets.Get((string)json["arch"]!);
        int outputs = (int)json["outputs"]!;
        if (outputs < 1 || outputs > 100_000) throw new InvalidDataException($"'{path}' declares {outputs} outputs.");
        var yRange = json["yRange"] is JsonArray r ? ((double)r[0]!, (double)r[1]!) : ((double, double)?)null;
        var body = ResNets.Build(arch, (bool)json["cntkLayout"]!);
        var model = Sequential(("body", (Module<Tensor, Tensor>)body), ("head", Head.Create(arch.Features, outputs, yRange)));
        try
        {
            loadWeights(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        var on = device ?? Native.TorchRuntime.DefaultDevice;
        model.to(on).eval();
        var kind = Enum.Parse<TargetKind>((string)json["kind"]!);
        var target = FittedBlocks.For(kind, json["vocab"] is JsonArray v ? v.Select(x => (string)x!).ToList() : null, outputs);
        var itemTfms = ((JsonArray)json["itemTransforms"]!).Select(t => Rebuild(t!)).ToList();
        var batchTfms = json["resize"] is JsonArray size ? new List<IBatchTransform> { new AugTransforms(size: ((int)size[0]!, (int)size[1]!)) } : [];
        var normalize = json["normalize"] is JsonObject n
            ? new Normalize(((JsonArray)n["mean"]!).Select(x => (float)x!).ToArray(), ((JsonArray)n["std"]!).Select(x => (float)x!).ToArray())
            : null;
        return new ExportedLearner(model, target, (float)json["threshold"]!, new InferencePipeline(itemTfms, batchTfms, normalize), on, arch.Name);
    }

    static JsonNode Describe(IItemTransform transform) => transform switch
    {
        Resize r => new JsonObject { ["type"] = "Resize", ["height"] = r.Height, ["width"] = r.Width, ["method"] = r.Method.ToString(), ["padMode"] = r.PadMode.ToString() },
        RandomResizedCrop c => new JsonObject { ["type"] = "RandomResizedCrop", ["height"] = c.Height, ["width"] = c.Width, ["minScale"] = c.MinScale, ["valXtra"] = c.ValXtra },
        _ => throw new NotSupportedException($"The item transform {transform.GetType().Name} cannot be exported (only Resize and RandomResizedCrop)."),
    };

    static IItemTransform Rebuild(JsonNode t) => (string)t["type"]! switch
    {
        "Resize" => new Resize((int)t["height"]!, (int)t["width"]!, Enum.Parse<ResizeMethod>((string)t["method"]!), Enum.Parse<PadMode>((string)t["padMode"]!)),
        "RandomResizedCrop" => new RandomResizedCrop((int)t["height"]!, (int)t["width"]!, (double)t["minScale"]!, valXtra: (double)t["valXtra"]!),
        var other => throw new InvalidDataException($"Unknown item transform '{other}' in the exported learner."),
    };
}

/// <summary>A loaded exported learner: predicts new images exactly as the learner it was saved from.</summary>
public sealed class ExportedLearner(nn.Module<Tensor, Tensor> model, TargetBlock target, float threshold, InferencePipeline pipeline, Device device, string arch) : IDisposable
{
    readonly Func<Tensor, Tensor> activation = target.DefaultLoss().Activation;

    /// <summary>The model, in evaluation mode on the device it was loaded to.</summary>
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    /// <summary>The fitted target block the learner was trained with (its vocabulary, its decoding).</summary>
    public TargetBlock Target { get; } = target;
    /// <summary>What kind of target the model predicts.</summary>
    public TargetKind Kind => Target.Kind;
    /// <summary>The labels for multi-label and single-label models; null otherwise.</summary>
    public Vocab? Vocab => Target.Vocab;
    /// <summary>The decoding threshold of a multi-label model.</summary>
    public float Threshold { get; } = threshold;
    /// <summary>The body's architecture name, e.g. resnet18.</summary>
    public string Arch { get; } = arch;

    /// <summary>Predicts one image (a path or an <see cref="Imaging.RgbImage"/>), as fastai's <c>learn.predict</c> after <c>load_learner</c>.</summary>
    public Prediction Predict(object image) => Predict([image])[0];

    /// <summary>Predicts several images in one batch.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<object> images) =>
        ImagePredictor.Predict(images, pipeline, device, x => activation(Model.call(x)), Target, Threshold);

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
