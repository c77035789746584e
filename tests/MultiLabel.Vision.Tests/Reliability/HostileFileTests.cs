using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Serialization;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Reliability;

/// <summary>Files from elsewhere are data, never code: hostile exports, weights and images (generated here) give an error
/// that names the file, write nothing, and allocate far less than they claim.</summary>
public sealed class HostileFileTests
{
    static string Zip(string path, params (string Name, byte[] Bytes)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
            using (var s = zip.CreateEntry(name).Open()) s.Write(bytes);
        return path;
    }

    static byte[] Safetensors(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    static TorchSharp.Modules.Sequential Body() => ResNets.Build(ResNets.ResNet18, cntkLayout: false);

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/tmp/evil.txt")]
    [InlineData("data/../../evil.txt")]
    public void An_archive_entry_with_a_path_outside_it_is_refused_and_nothing_is_written(string entry)
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("inside"));
        var export = Zip(temp.File("inside/learner.mlx"), ("model.json", "{}"u8.ToArray()), (entry, "pwned"u8.ToArray()));
        var pth = Zip(temp.File("inside/weights.pth"), ("archive/data.pkl", [0x80, 0x02, (byte)'}', (byte)'.']), (entry, "pwned"u8.ToArray()));

        var fromExport = Assert.Throws<InvalidDataException>(() => Learner.Load(export, CPU));
        var fromPth = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(Body(), pth));

        Assert.Equal($"'{export}' is refused: its entry '{entry}' has a path outside the archive.", fromExport.Message);
        Assert.Equal($"'{pth}' is refused: its entry '{entry}' has a path outside the archive.", fromPth.Message);
        Assert.False(File.Exists(temp.File("evil.txt")));
        Assert.False(File.Exists("/tmp/evil.txt"));
        Assert.Equal(2, Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void An_export_with_an_unexpected_entry_is_refused()
    {
        using var temp = new TempFolder();
        var export = Zip(temp.File("learner.mlx"), ("model.json", "{}"u8.ToArray()), ("run.sh", "rm -rf ~"u8.ToArray()));

        var error = Assert.Throws<InvalidDataException>(() => Learner.Load(export, CPU));

        Assert.Equal($"'{export}' is not an exported learner: unexpected entry 'run.sh'.", error.Message);
    }

    [Fact]
    public void An_archive_with_two_entries_of_one_name_is_refused()
    {
        using var temp = new TempFolder();
        var export = Zip(temp.File("learner.mlx"), ("model.json", "{}"u8.ToArray()), ("model.json", "{\"format\": 1}"u8.ToArray()));
        var pth = Zip(temp.File("weights.pth"), ("archive/data.pkl", [0x80, 0x02, (byte)'}', (byte)'.']), ("archive/data.pkl", [0x80, 0x02, (byte)'}', (byte)'.']));

        var fromExport = Assert.Throws<InvalidDataException>(() => Learner.Load(export, CPU));
        var fromPth = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(Body(), pth));

        Assert.Equal($"'{export}' is refused: it has 2 entries named 'model.json'.", fromExport.Message);
        Assert.Equal($"'{pth}' is refused: it has 2 entries named 'archive/data.pkl'.", fromPth.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", 6, "2 bytes after tensor 'a' belong to no tensor.")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}""", 6, "tensor 'b' [2, 6] overlaps tensor 'a', which ends at 4.")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}""", 8, "2 bytes between tensor 'a' and tensor 'b' belong to no tensor.")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}""", 4, "2 bytes between the start of the data and tensor 'a' belong to no tensor.")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}""", 4, "the tensor 'a' is declared twice.")]
    public void Safetensors_data_must_be_covered_exactly_once_in_order(string header, int dataBytes, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.safetensors");
        File.WriteAllBytes(path, Safetensors(header, dataBytes));
        using var body = Body();

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(body, path));

        Assert.Equal($"'{path}': {expected}", error.Message);
    }

    [Fact]
    public void A_real_safetensors_file_passes_the_strict_check_with_empty_tensors_too()
    {
        using var temp = new TempFolder();
        using var scope = NewDisposeScope();
        var path = temp.File("real.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, new Dictionary<string, Tensor> { ["empty"] = zeros(0), ["w"] = ones(3, 2), ["b"] = zeros(2) });
        using var file = File.OpenRead(path);

        var shapes = SafetensorsHeader.Check(file, path);

        Assert.Equal([0L], shapes["empty"]);
        Assert.Equal([3L, 2L], shapes["w"]);
    }

    [Fact]
    public void A_safetensors_header_claiming_gigabytes_is_refused_before_allocating()
    {
        using var temp = new TempFolder();
        var bytes = new byte[8 + 2];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 50_000_000_000);
        "{}"u8.CopyTo(bytes.AsSpan(8));
        var path = temp.File("huge.safetensors");
        File.WriteAllBytes(path, bytes);
        using var body = Body();
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(body, path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20, "the loader allocated what the header claimed");
        Assert.Equal($"'{path}' claims a 50,000,000,000-byte safetensors header; the file has 2 bytes after the length and the limit is 100,000,000.", error.Message);
    }

    [Theory]
    [InlineData("""{"conv1.weight":{"dtype":"F32","shape":[64,3,7,7],"data_offsets":[0,16]}}""", 16, "tensor 'conv1.weight': shape [64, 3, 7, 7] of F32 needs 37,632 bytes, the offsets give 16.")]
    [InlineData("""{"conv1.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8000]}}""", 8, "tensor 'conv1.weight': data_offsets [0, 8000] leave the 8 bytes of data.")]
    [InlineData("""{"conv1.weight":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}""", 2, "tensor 'conv1.weight': unknown dtype F8;")]
    [InlineData("""{"conv1.weight":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "tensor 'conv1.weight': the shape [-1] is not a list of non-negative integers.")]
    [InlineData("""{"conv1.weight":{"dtype":"U8","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}""", 4, "overflows")]
    public void Safetensors_entries_that_disagree_with_their_data_are_refused_naming_the_tensor(string header, int dataBytes, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.safetensors");
        File.WriteAllBytes(path, Safetensors(header, dataBytes));
        using var body = Body();

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(body, path));

        Assert.StartsWith($"'{path}', tensor 'conv1.weight'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Weights_of_the_wrong_type_or_shape_are_refused_naming_the_key()
    {
        using var temp = new TempFolder();
        using var scope = NewDisposeScope();
        using var source = Body();
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["conv1.weight"] = zeros([64, 3, 7, 7], ScalarType.Int64);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(temp.File("ints.safetensors"), state);
        using (var learn = VisionLearner.Create(Training.TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1))
            learn.Export(temp.File("learner.mlx"));
        // One output more, and a label for it: a description that holds together, for weights that do not fit it.
        RewriteJson(temp.File("learner.mlx"), json =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            node["outputs"] = (int)node["outputs"]! + 1;
            node["vocab"]!.AsArray().Add("extra");
            return node.ToJsonString();
        });
        using var body = Body();

        var typed = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(body, temp.File("ints.safetensors")));
        var shaped = Assert.Throws<InvalidDataException>(() => Learner.Load(temp.File("learner.mlx"), CPU));

        Assert.Contains("conv1.weight (model Float32 [64, 3, 7, 7], file Int64 [64, 3, 7, 7])", typed.Message);
        Assert.StartsWith($"'{temp.File("learner.mlx")}' does not fit a resnet18 with ", shaped.Message);
        Assert.Contains("shape or type mismatch: 1.8.weight (model Float32 [", shaped.Message);
    }

    static void RewriteJson(string path, Func<string, string> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("model.json")!;
        string json;
        using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("model.json").Open());
        writer.Write(change(json));
    }

    [Theory]
    [InlineData("os", "system", false)]
    [InlineData("builtins", "eval", true)]
    [InlineData("subprocess", "Popen", false)]
    public void A_pickle_that_imports_anything_but_a_state_dicts_classes_is_refused_unread(string module, string name, bool stackGlobal)
    {
        using var temp = new TempFolder();
        var pickle = new List<byte> { 0x80, (byte)(stackGlobal ? 4 : 2) };
        if (stackGlobal)
        {
            foreach (var text in new[] { module, name }) { pickle.Add(0x8c); pickle.Add((byte)text.Length); pickle.AddRange(Encoding.ASCII.GetBytes(text)); }
            pickle.Add(0x93);
        }
        else pickle.AddRange(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
        pickle.AddRange([0x8c, 4, .. "echo"u8.ToArray(), 0x85, (byte)'R', (byte)'.']); // call it with one argument
        var path = Zip(temp.File("weights.pth"), ("archive/data.pkl", pickle.ToArray()));
        using var body = Body();

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.LoadInto(body, path));

        Assert.Equal($"'{path}' asks to import '{module}.{name}', which a state dict never needs: refused (weights files are data, not code).", error.Message);
    }

    [Fact]
    public void A_decompression_bomb_image_is_refused_from_its_header()
    {
        using var temp = new TempFolder();
        var path = temp.File("bomb.png");
        File.WriteAllBytes(path, Png(50_000, 50_000));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageLoadException>(() => ImageDecoder.Load(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20);
        Assert.Contains(path, error.Message);
        Assert.Contains("is 50000×50000 = 2,500,000,000 pixels, over the limit of 89,478,485", error.Message);
    }

    /// <summary>A PNG that declares <paramref name="width"/>×<paramref name="height"/> RGB pixels and holds none.</summary>
    static byte[] Png(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
