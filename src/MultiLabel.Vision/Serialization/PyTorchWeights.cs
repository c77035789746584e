using System.Collections;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Serialization;

/// <summary>
/// Loads a PyTorch state dict (a <c>.pth</c>/<c>.pt</c> pickle or a <c>.safetensors</c> file, torchvision names) into a
/// module through TorchSharp.PyBridge. Keys the module expects but the file lacks, and shape mismatches, are an error
/// that names them; keys of layers the module does not have (e.g. torchvision's <c>fc.*</c>) are ignored.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>Fills <paramref name="module"/> from the state dict at <paramref name="path"/>; errors describe the module
    /// as <paramref name="description"/> ("a resnet34 body").</summary>
    public static void LoadInto(nn.Module module, string path, string? description = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The weights file '{path}' does not exist.", path);
        var source = Read(path);
        try
        {
            Copy(module, source, path, description: description);
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="module"/>. <paramref name="fileNames"/> maps the
    /// module's keys to the file's (fastai's names, <see cref="FastaiKeys"/>); with it the file must hold exactly the
    /// model, so keys the model lacks are an error too.</summary>
    internal static void Copy(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string path, IReadOnlyDictionary<string, string>? fileNames = null, string? description = null)
    {
        var target = module.state_dict();
        string Name(string key) => fileNames is null ? key : fileNames[key];
        var missing = target.Keys.Where(k => !source.ContainsKey(Name(k)) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(Name).ToList();
        var extra = fileNames is null ? [] : source.Keys.Except(target.Keys.Select(Name)).ToList();
        var mismatched = target.Keys.Where(k => source.ContainsKey(Name(k)))
            .Where(k => !target[k].shape.SequenceEqual(source[Name(k)].shape) || target[k].is_floating_point() != source[Name(k)].is_floating_point())
            .Select(k => $"{Name(k)} (model {target[k].dtype} [{string.Join(", ", target[k].shape)}], file {source[Name(k)].dtype} [{string.Join(", ", source[Name(k)].shape)}])").ToList();
        if (missing.Count > 0 || mismatched.Count > 0 || extra.Count > 0)
            throw new InvalidDataException((
                $"'{path}' does not fit {description ?? "this model"}: " +
                (missing.Count > 0 ? $"missing {missing.Count} key(s): {string.Join(", ", missing.Take(12))}{(missing.Count > 12 ? ", …" : "")}. " : "") +
                (extra.Count > 0 ? $"{extra.Count} key(s) the model does not have: {string.Join(", ", extra.Take(12))}{(extra.Count > 12 ? ", …" : "")}. " : "") +
                (mismatched.Count > 0 ? $"shape or type mismatch: {string.Join("; ", mismatched.Take(12))}." : "")).TrimEnd());
        using var _ = no_grad();
        foreach (var (key, tensor) in target)
            if (source.TryGetValue(Name(key), out var value)) tensor.copy_(value.to(tensor.dtype));
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

    /// <summary>The tensors of safetensors data in <paramref name="stream"/> (a file, or an export's entry), its header
    /// checked first (<see cref="SafetensorsHeader"/>); <paramref name="location"/> names it in errors.</summary>
    internal static Dictionary<string, Tensor> ReadSafetensors(Stream stream, string location)
    {
        SafetensorsHeader.Check(stream, location);
        return TorchSharp.PyBridge.Safetensors.LoadStateDict(stream, false, null!);
    }

    /// <summary>The tensors of a .pth/.pt or .safetensors state dict, on the CPU; the caller disposes them.</summary>
    internal static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(path);
                return ReadSafetensors(file, path);
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
