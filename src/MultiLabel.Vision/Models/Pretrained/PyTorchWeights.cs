using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Models.Pretrained;

/// <summary>
/// Loads a PyTorch state dict (a <c>.pth</c>/<c>.pt</c> pickle or a <c>.safetensors</c> file, torchvision names) into a
/// module through TorchSharp.PyBridge. Keys the module expects but the file lacks, and shape mismatches, are an error
/// that names them; keys of layers the module does not have (e.g. torchvision's <c>fc.*</c>) are ignored.
/// </summary>
public static class PyTorchWeights
{
    public static void LoadInto(nn.Module module, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The weights file '{path}' does not exist.", path);
        var source = Read(path);
        try
        {
            var target = module.state_dict();
            var missing = target.Keys.Where(k => !source.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
            var mismatched = target.Keys.Where(source.ContainsKey)
                .Where(k => !target[k].shape.SequenceEqual(source[k].shape) || target[k].is_floating_point() != source[k].is_floating_point())
                .Select(k => $"{k} (model {target[k].dtype} [{string.Join(", ", target[k].shape)}], file {source[k].dtype} [{string.Join(", ", source[k].shape)}])").ToList();
            if (missing.Count > 0 || mismatched.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' does not fit this {module.GetName()}: " +
                    (missing.Count > 0 ? $"missing {missing.Count} key(s): {string.Join(", ", missing.Take(12))}{(missing.Count > 12 ? ", …" : "")}. " : "") +
                    (mismatched.Count > 0 ? $"shape or type mismatch: {string.Join("; ", mismatched.Take(12))}." : ""));
            using var _ = no_grad();
            foreach (var (key, tensor) in target)
                if (source.TryGetValue(key, out var value)) tensor.copy_(value.to(tensor.dtype));
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>PyTorch's zip format: its one data.pkl may import only what a state dict needs (<see cref="PickleGlobals"/>).</summary>
    static void CheckPickledStateDict(string path)
    {
        using var zip = ArchiveEntries.Open(path, "a PyTorch state dict (.pth, as torch.save writes since PyTorch 1.6)");
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)).ToList();
        if (pickles.Count != 1)
            throw new InvalidDataException($"'{path}' is not a PyTorch state dict: it has {pickles.Count} data.pkl entries, not one.");
        PickleGlobals.CheckStateDict(ArchiveEntries.Read(pickles[0], MaxPickleBytes, path), path);
    }

    const long MaxPickleBytes = 64L << 20;

    static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(path);
                SafetensorsHeader.Check(file, path);
                return TorchSharp.PyBridge.Safetensors.LoadStateDict(file, false, null!);
            }
            CheckPickledStateDict(path);
            var table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
            return table.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not FileNotFoundException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' could not be read as a PyTorch state dict (.pth) or safetensors file: {e.Message}", e);
        }
    }
}
