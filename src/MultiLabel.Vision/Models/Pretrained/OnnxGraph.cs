using System.Text;

namespace MultiLabel.Vision.Models.Pretrained;

/// <summary>An ONNX node: operator, inputs and outputs (tensor names), and integer-list attributes.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name);

/// <summary>An ONNX initializer: a named float tensor.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, float[] Data);

/// <summary>
/// The parts of an ONNX model needed to lift its weights: nodes in graph order and float initializers. A minimal
/// reader of the protobuf wire format (ModelProto.graph → nodes and initializers), so no ONNX runtime is needed.
/// </summary>
public sealed class OnnxGraph
{
    public IReadOnlyList<OnnxNode> Nodes { get; }
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }
    public IReadOnlyList<string> Inputs { get; }

    OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers, List<string> inputs) =>
        (Nodes, Initializers, Inputs) = (nodes, initializers, inputs);

    public static OnnxGraph Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The ONNX file '{path}' does not exist.", path);
        var model = new ProtoReader(File.ReadAllBytes(path), path);
        while (model.Next(out int field, out int wire))
        {
            if (field == 7 && wire == 2) return ReadGraph(model.Message(), path);
            model.Skip(wire);
        }
        throw new InvalidDataException($"'{path}' has no graph: not an ONNX model.");
    }

    static OnnxGraph ReadGraph(ProtoReader graph, string path)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        while (graph.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2) nodes.Add(ReadNode(graph.Message()));
            else if (field == 5 && wire == 2) { var t = ReadTensor(graph.Message(), path); initializers[t.Name] = t; }
            else if (field == 11 && wire == 2) inputs.Add(ReadValueInfoName(graph.Message()));
            else graph.Skip(wire);
        }
        return new OnnxGraph(nodes, initializers, inputs);
    }

    static OnnxNode ReadNode(ProtoReader node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        string name = "", op = "";
        while (node.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == 2: inputs.Add(node.String()); break;
                case 2 when wire == 2: outputs.Add(node.String()); break;
                case 3 when wire == 2: name = node.String(); break;
                case 4 when wire == 2: op = node.String(); break;
                default: node.Skip(wire); break;
            }
        }
        return new OnnxNode(op, inputs, outputs, name);
    }

    static string ReadValueInfoName(ProtoReader info)
    {
        string name = "";
        while (info.Next(out int field, out int wire))
        {
            if (field == 1 && wire == 2) name = info.String();
            else info.Skip(wire);
        }
        return name;
    }

    static OnnxTensor ReadTensor(ProtoReader tensor, string path)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        byte[]? raw = null;
        string name = "";
        int dataType = 1;
        while (tensor.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == 0: dims.Add((long)tensor.Varint()); break;
                case 1 when wire == 2: { var packed = tensor.Message(); while (!packed.End) dims.Add((long)packed.Varint()); break; }
                case 2 when wire == 0: dataType = (int)tensor.Varint(); break;
                case 4 when wire == 2: { var bytes = tensor.Bytes(); for (int i = 0; i + 4 <= bytes.Length; i += 4) floats.Add(BitConverter.ToSingle(bytes, i)); break; }
                case 4 when wire == 5: floats.Add(BitConverter.ToSingle(tensor.Fixed32())); break;
                case 8 when wire == 2: name = tensor.String(); break;
                case 9 when wire == 2: raw = tensor.Bytes(); break;
                default: tensor.Skip(wire); break;
            }
        }
        if (dataType != 1) throw new InvalidDataException($"'{path}': initializer '{name}' has data type {dataType}; only float32 weights are supported.");
        if (raw is not null) for (int i = 0; i + 4 <= raw.Length; i += 4) floats.Add(BitConverter.ToSingle(raw, i));
        return new OnnxTensor(name, dims.ToArray(), floats.ToArray());
    }

    /// <summary>Protobuf wire format: (field, wire type) keys, varints, length-delimited blocks, fixed 32/64.</summary>
    sealed class ProtoReader(byte[] buffer, string source, int start = 0, int end = -1)
    {
        int position = start;
        readonly int limit = end < 0 ? buffer.Length : end;

        public bool End => position >= limit;

        public bool Next(out int field, out int wire)
        {
            if (End) { field = wire = 0; return false; }
            ulong key = Varint();
            (field, wire) = ((int)(key >> 3), (int)(key & 7));
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (position >= limit) throw new InvalidDataException($"'{source}' is truncated (inside a varint).");
                byte b = buffer[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new InvalidDataException($"'{source}': malformed varint.");
        }

        public byte[] Fixed32() { var v = buffer[position..(position + 4)]; position += 4; return v; }

        public ProtoReader Message()
        {
            int length = checked((int)Varint());
            if (position + length > limit) throw new InvalidDataException($"'{source}' is truncated.");
            var reader = new ProtoReader(buffer, source, position, position + length);
            position += length;
            return reader;
        }

        public byte[] Bytes()
        {
            int length = checked((int)Varint());
            var bytes = buffer[position..(position + length)];
            position += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: position += 8; break;
                case 2: { int length = checked((int)Varint()); position += length; break; } // read the length before adding
                case 5: position += 4; break;
                default: throw new InvalidDataException($"'{source}': unsupported protobuf wire type {wire}.");
            }
        }
    }
}
