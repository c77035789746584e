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
                .Where(k => !target[k].shape.SequenceEqual(source[k].shape))
                .Select(k => $"{k} (model [{string.Join(", ", target[k].shape)}], file [{string.Join(", ", source[k].shape)}])").ToList();
            if (missing.Count > 0 || mismatched.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' does not fit this {module.GetName()}: " +
                    (missing.Count > 0 ? $"missing {missing.Count} key(s): {string.Join(", ", missing.Take(12))}{(missing.Count > 12 ? ", …" : "")}. " : "") +
                    (mismatched.Count > 0 ? $"shape mismatch: {string.Join("; ", mismatched.Take(12))}." : ""));
            using var _ = no_grad();
            foreach (var (key, tensor) in target)
                if (source.TryGetValue(key, out var value)) tensor.copy_(value.to(tensor.dtype));
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return TorchSharp.PyBridge.Safetensors.LoadStateDict(path, null!);
            var table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
            return table.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not FileNotFoundException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' could not be read as a PyTorch state dict (.pth) or safetensors file: {e.Message}", e);
        }
    }
}
