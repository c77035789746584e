using static TorchSharp.torch;

namespace MultiLabel.Vision.Serialization;

/// <summary>
/// The state-dict names fastai's <c>vision_learner</c> model has: a Sequential of the body (<c>0</c>, torchvision's
/// children by index: 0 conv1, 1 bn1, 2 relu, 3 maxpool, 4–7 layer1–layer4) and the head (<c>1</c>, fastai's layers by
/// index: 2 BatchNorm1d, 4 Linear, 6 BatchNorm1d, 8 Linear). This project names the same children (body.layer1,
/// head.lin1); below the second level the names already agree (<c>layer1.0.conv1</c> is <c>4.0.conv1</c>).
/// </summary>
public static class FastaiKeys
{
    /// <summary>A map from this model's state-dict names to fastai's, read off the model's own children.</summary>
    public static IReadOnlyDictionary<string, string> For(nn.Module model)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        int top = 0;
        foreach (var (name, child) in model.named_children())
        {
            index[name] = (top++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int inner = 0;
            foreach (var (childName, _) in child.named_children())
                index[$"{name}.{childName}"] = $"{index[name]}.{(inner++).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        return model.state_dict().Keys.ToDictionary(key => key, key => Rename(key, index), StringComparer.Ordinal);
    }

    static string Rename(string key, Dictionary<string, string> index)
    {
        var parts = key.Split('.');
        if (parts.Length >= 3 && index.TryGetValue($"{parts[0]}.{parts[1]}", out var two)) return $"{two}.{string.Join('.', parts[2..])}";
        if (parts.Length >= 2 && index.TryGetValue(parts[0], out var one)) return $"{one}.{string.Join('.', parts[1..])}";
        throw new InvalidOperationException($"The state-dict key '{key}' does not belong to a child of the model.");
    }

    /// <summary>Whether a state dict's keys are fastai's whole-model names (a body under <c>0.</c> and a head under
    /// <c>1.</c>) rather than torchvision's body names (<c>conv1.weight</c>, <c>layer1.0…</c>).</summary>
    public static bool AreWholeModel(IEnumerable<string> keys)
    {
        bool body = false, head = false;
        foreach (var key in keys)
        {
            body |= key.StartsWith("0.", StringComparison.Ordinal);
            head |= key.StartsWith("1.", StringComparison.Ordinal);
        }
        return body && head;
    }
}
