using System.Buffers.Binary;
using System.Text.Json;

namespace MultiLabel.Vision.Serialization;

/// <summary>
/// Checks a safetensors file's header before anything is allocated from it: an 8-byte little-endian header length, a
/// JSON table of tensors (dtype, shape, data offsets), then the data. A header that claims more than
/// <see cref="MaxHeaderBytes"/> or more bytes than the file has, an unknown dtype, a negative or overflowing shape, or
/// offsets that leave the data or disagree with the shape are errors naming the file and the tensor: a hostile file
/// cannot make the reader allocate what it claims. As the format's specification requires, the tensors' bytes cover the
/// data exactly, in order: a hole, an overlap, bytes after the last tensor or a name given twice are errors too (a file
/// that means one thing to one reader and another to the next is refused).
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The safetensors format's own limit on the header.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>The tensors' names and shapes after checking the header of <paramref name="stream"/> (left at its start).</summary>
    public static IReadOnlyDictionary<string, long[]> Check(Stream stream, string location)
    {
        long start = stream.Position, total = stream.Length - start;
        Span<byte> prefix = stackalloc byte[8];
        if (total < 8 || stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"'{location}' is not a safetensors file: it is shorter than its 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || (long)headerLength > total - 8)
            throw new InvalidDataException($"'{location}' claims a {headerLength:N0}-byte safetensors header; the file has {total - 8:N0} bytes after the length and the limit is {MaxHeaderBytes:N0}.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        stream.Position = start;
        long dataLength = total - 8 - (long)headerLength;
        JsonDocument json;
        try { json = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new InvalidDataException($"'{location}': the safetensors header is not JSON ({e.Message}).", e); }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"'{location}': the safetensors header is not a JSON object.");
            var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
            var spans = new List<(long Begin, long End, string Name)>();
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                if (shapes.ContainsKey(entry.Name)) throw new InvalidDataException($"'{location}': the tensor '{entry.Name}' is declared twice.");
                var (shape, begin, end) = CheckTensor(entry, dataLength, location);
                shapes[entry.Name] = shape;
                spans.Add((begin, end, entry.Name));
            }
            CheckCoverage(spans, dataLength, location);
            return shapes;
        }
    }

    /// <summary>Sorted by offset, each tensor starts where the previous one ended, the first at 0, the last at the end.</summary>
    static void CheckCoverage(List<(long Begin, long End, string Name)> spans, long dataLength, string location)
    {
        long expected = 0;
        string previous = "the start of the data";
        foreach (var (begin, end, name) in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (begin < expected)
                throw new InvalidDataException($"'{location}': tensor '{name}' [{begin}, {end}] overlaps {previous}, which ends at {expected}.");
            if (begin > expected)
                throw new InvalidDataException($"'{location}': {begin - expected:N0} bytes between {previous} and tensor '{name}' belong to no tensor.");
            (expected, previous) = (end, $"tensor '{name}'");
        }
        if (expected != dataLength)
            throw new InvalidDataException($"'{location}': {dataLength - expected:N0} bytes after {previous} belong to no tensor.");
    }

    static (long[] Shape, long Begin, long End) CheckTensor(JsonProperty entry, long dataLength, string location)
    {
        string Where() => $"'{location}', tensor '{entry.Name}'";
        var t = entry.Value;
        if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("dtype", out var dtype) || !t.TryGetProperty("shape", out var shapeJson) || !t.TryGetProperty("data_offsets", out var offsets))
            throw new InvalidDataException($"{Where()}: needs dtype, shape and data_offsets.");
        if (dtype.ValueKind != JsonValueKind.String || !DtypeBytes.TryGetValue(dtype.GetString()!, out int size))
            throw new InvalidDataException($"{Where()}: unknown dtype {dtype}; known: {string.Join(", ", DtypeBytes.Keys)}.");
        if (shapeJson.ValueKind != JsonValueKind.Array || shapeJson.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0))
            throw new InvalidDataException($"{Where()}: the shape {shapeJson} is not a list of non-negative integers.");
        var shape = shapeJson.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2 || offsets.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out _)))
            throw new InvalidDataException($"{Where()}: data_offsets must be [begin, end].");
        long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
        if (begin < 0 || end < begin || end > dataLength)
            throw new InvalidDataException($"{Where()}: data_offsets [{begin}, {end}] leave the {dataLength:N0} bytes of data.");
        long bytes = size;
        try { foreach (var d in shape) bytes = checked(bytes * d); }
        catch (OverflowException) { throw new InvalidDataException($"{Where()}: the shape [{string.Join(", ", shape)}] overflows."); }
        if (bytes != end - begin)
            throw new InvalidDataException($"{Where()}: shape [{string.Join(", ", shape)}] of {dtype.GetString()} needs {bytes:N0} bytes, the offsets give {end - begin:N0}.");
        return (shape, begin, end);
    }
}
