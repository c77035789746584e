using Onnx;

namespace MultiLabel.Vision.Serialization;

/// <summary>An ONNX node: operator, inputs and outputs (tensor names), and its name.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name);

/// <summary>An ONNX initializer: a named float tensor.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, float[] Data);

/// <summary>
/// The parts of an ONNX model needed to lift its weights: nodes in graph order, float initializers and graph inputs,
/// read with OnnxSharp (the protobuf classes generated from onnx.proto), so no ONNX runtime is needed.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The graph's nodes in order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
    /// <summary>The float initializers (weights) by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }
    /// <summary>The names of the graph's inputs.</summary>
    public IReadOnlyList<string> Inputs { get; }

    OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers, List<string> inputs) =>
        (Nodes, Initializers, Inputs) = (nodes, initializers, inputs);

    /// <summary>Reads the ONNX model at <paramref name="path"/>; an unreadable file is an error naming it.</summary>
    public static OnnxGraph Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The ONNX file '{path}' does not exist.", path);
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable ONNX model: {e.Message}", e);
        }
        if (model.Graph is not { } graph) throw new InvalidDataException($"'{path}' has no graph: not an ONNX model.");
        var nodes = graph.Node.Select(n => new OnnxNode(n.OpType, n.Input.ToList(), n.Output.ToList(), n.Name)).ToList();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer) initializers[tensor.Name] = Floats(tensor, path);
        return new OnnxGraph(nodes, initializers, graph.Input.Select(i => i.Name).ToList());
    }

    static OnnxTensor Floats(TensorProto tensor, string path)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"'{path}': initializer '{tensor.Name}' has data type {tensor.DataType}; only float32 weights are supported.");
        // Weights come either as raw little-endian bytes or as the repeated float field.
        var data = tensor.RawData.Length > 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : tensor.FloatData.ToArray();
        long expected = tensor.Dims.Aggregate(1L, (a, d) => a * d);
        if (data.Length != expected)
            throw new InvalidDataException($"'{path}': initializer '{tensor.Name}' holds {data.Length} floats for dims [{string.Join(", ", tensor.Dims)}] ({expected}).");
        return new OnnxTensor(tensor.Name, tensor.Dims.ToArray(), data);
    }
}
