using System.Security.Cryptography;
using MultiLabel.Vision.Serialization;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Models.Pretrained;

/// <summary>
/// The ImageNet ResNet-18 inside the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (MIT): a CNTK
/// export whose layer4 has three blocks. Its 110 tensors are named by following the ONNX graph (stem conv/BN, then
/// one residual block per Add node: the two-conv path is conv1/bn1/conv2/bn2, a one-conv shortcut is downsample.0/.1).
/// It expects BGR 0..255 minus a mean; <see cref="FoldPreprocessing"/> turns conv1 into one that takes ImageNet-normalised
/// RGB. Converted on first use and cached by the ONNX file's hash.
/// </summary>
public static class CntkResNet18
{
    /// <summary>The NuGet package that carries the ONNX file.</summary>
    public const string PackageId = "microsoft.ml.dnnimagefeaturizer.resnet18";
    /// <summary>The package version read from the NuGet cache.</summary>
    public const string PackageVersion = "0.23.1";
    /// <summary>Environment variable naming the ONNX file directly, when the package is not in the NuGet cache.</summary>
    public const string OnnxVariable = "MULTILABEL_RESNET18_ONNX";

    /// <summary>The bundled weights, to ask for them by name (<c>VisionLearner.Create(..., weights: CntkResNet18.Weights)</c>)
    /// whether or not torchvision's can be had.</summary>
    public static readonly WeightsFile Weights = new("resnet18", "ResNet18.onnx", "the bundled ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK export)");
    static readonly int[] BlocksPerLayer = [2, 2, 2, 3];
    static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Where the ONNX file is: MULTILABEL_RESNET18_ONNX, the NuGet cache, or next to the application.</summary>
    public static string LocateOnnx()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(OnnxVariable) is { Length: > 0 } explicitPath) candidates.Add(explicitPath);
        var packages = Native.NuGetCache.Root();
        candidates.Add(Path.Combine(packages, PackageId, PackageVersion, "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx"));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx"));
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "The pretrained ResNet-18 (package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1) is not on this machine. Restore it once — " +
            "in a notebook: #r \"nuget: Microsoft.ML.DnnImageFeaturizer.ResNet18, 0.23.1\"; in a project: <PackageDownload Include=\"Microsoft.ML.DnnImageFeaturizer.ResNet18\" Version=\"[0.23.1]\" /> — " +
            $"or set {OnnxVariable} to its ResNet18.onnx. Looked in: {string.Join("; ", candidates)}");
    }

    /// <summary>Loads the converted, folded weights into a ResNet-18 body built with the CNTK layout.</summary>
    public static void LoadInto(TorchSharp.Modules.Sequential body)
    {
        var onnx = LocateOnnx();
        var cache = CachePath(onnx);
        if (!File.Exists(cache))
        {
            var weights = FoldPreprocessing(ConvertGraph(OnnxGraph.Read(onnx)));
            Native.Files.AtomicFile.Write(cache, stream => TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, weights));
            foreach (var t in weights.Values) t.Dispose();
        }
        PyTorchWeights.LoadInto(body, cache);
    }

    static string CachePath(string onnx)
    {
        var info = new FileInfo(onnx);
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|v1")))[..16].ToLowerInvariant();
        return Path.Combine(Native.LibTorchSharpPatch.DefaultCacheRoot(), "pretrained", $"resnet18-cntk-{key}.safetensors");
    }

    /// <summary>The ONNX weights under torchvision names, as the export has them (BGR 0..255 minus mean input).</summary>
    public static Dictionary<string, Tensor> ConvertGraph(OnnxGraph graph)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes) foreach (var output in node.Outputs) producer[output] = node;
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);

        var stemConv = graph.Nodes.First(n => n.OpType == "Conv");
        var stemBn = graph.Nodes.First(n => n.OpType == "BatchNormalization" && n.Inputs[0] == stemConv.Outputs[0]);
        AddConv(graph, weights, "conv1", stemConv);
        AddBatchNorm(graph, weights, "bn1", stemBn);

        var adds = graph.Nodes.Where(n => n.OpType == "Add").ToList();
        if (adds.Count != BlocksPerLayer.Sum())
            throw new InvalidDataException($"Expected {BlocksPerLayer.Sum()} residual blocks in the ResNet-18 export, found {adds.Count}.");
        int block = 0;
        for (int layer = 0; layer < BlocksPerLayer.Length; layer++)
        {
            for (int m = 0; m < BlocksPerLayer[layer]; m++, block++)
            {
                var prefix = $"layer{layer + 1}.{m}";
                var paths = adds[block].Inputs.Select(i => PathTo(i, producer)).ToList();
                var main = paths.Single(p => p.Count == 2);
                AddConv(graph, weights, $"{prefix}.conv1", main[0].Conv);
                AddBatchNorm(graph, weights, $"{prefix}.bn1", main[0].Bn);
                AddConv(graph, weights, $"{prefix}.conv2", main[1].Conv);
                AddBatchNorm(graph, weights, $"{prefix}.bn2", main[1].Bn);
                if (paths.SingleOrDefault(p => p.Count == 1) is { } shortcut)
                {
                    AddConv(graph, weights, $"{prefix}.downsample.0", shortcut[0].Conv);
                    AddBatchNorm(graph, weights, $"{prefix}.downsample.1", shortcut[0].Bn);
                }
            }
        }
        if (weights.Count != graph.Initializers.Count) throw new InvalidDataException($"{weights.Count} of the export's {graph.Initializers.Count} tensors were mapped; the graph is not the expected ResNet-18.");
        return weights;
    }

    /// <summary>The conv/BN pairs on the path that ends at <paramref name="tensor"/>, in forward order, back to the
    /// block input (a Relu after an Add, or the stem's MaxPool); empty for an identity shortcut.</summary>
    static List<(OnnxNode Conv, OnnxNode Bn)> PathTo(string tensor, Dictionary<string, OnnxNode> producer)
    {
        var pairs = new List<(OnnxNode, OnnxNode)>();
        while (producer.TryGetValue(tensor, out var node))
        {
            if (node.OpType == "BatchNormalization" && producer.TryGetValue(node.Inputs[0], out var conv) && conv.OpType == "Conv")
            {
                pairs.Insert(0, (conv, node));
                tensor = conv.Inputs[0];
            }
            else if (node.OpType == "Relu" && producer.TryGetValue(node.Inputs[0], out var before) && before.OpType == "BatchNormalization")
                tensor = node.Inputs[0];
            else break; // the block input
        }
        return pairs;
    }

    static void AddConv(OnnxGraph graph, Dictionary<string, Tensor> weights, string name, OnnxNode conv) =>
        weights[$"{name}.weight"] = Initializer(graph, conv.Inputs[1]);

    static void AddBatchNorm(OnnxGraph graph, Dictionary<string, Tensor> weights, string name, OnnxNode bn)
    {
        weights[$"{name}.weight"] = Initializer(graph, bn.Inputs[1]);
        weights[$"{name}.bias"] = Initializer(graph, bn.Inputs[2]);
        weights[$"{name}.running_mean"] = Initializer(graph, bn.Inputs[3]);
        weights[$"{name}.running_var"] = Initializer(graph, bn.Inputs[4]);
    }

    static Tensor Initializer(OnnxGraph graph, string name) =>
        graph.Initializers.TryGetValue(name, out var t)
            ? tensor(t.Data, t.Dims)
            : throw new InvalidDataException($"The ONNX graph has no initializer '{name}'.");

    /// <summary>Folds the export's input convention into conv1: reverse the channels (BGR → RGB) and scale by 255·std,
    /// so the network takes (x − ImageNet mean)/ImageNet std on 0..1 RGB pixels: W' = W[:, [2, 1, 0]]·(255·std).</summary>
    public static Dictionary<string, Tensor> FoldPreprocessing(Dictionary<string, Tensor> weights)
    {
        var folded = new Dictionary<string, Tensor>(weights, StringComparer.Ordinal);
        var w = weights["conv1.weight"];
        using var order = tensor(new long[] { 2, 1, 0 });
        using var scale = tensor(ImageNetStd.Select(s => s * 255f).ToArray()).view(1, 3, 1, 1);
        folded["conv1.weight"] = w.index_select(1, order).mul(scale);
        w.Dispose();
        return folded;
    }
}
