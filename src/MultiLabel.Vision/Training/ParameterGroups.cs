using MultiLabel.Vision.Optimizers;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>Splitters: how a model's parameters fall into groups for discriminative learning rates and freezing.</summary>
public static class ParameterGroups
{
    /// <summary>fastai's ResNet split for a model Sequential(body, head): {conv1, bn1, layer1, layer2}, {layer3, layer4}, {head}.</summary>
    public static IReadOnlyList<ParameterGroup> ResNet(nn.Module model)
    {
        var all = Describe(model);
        bool InStem(string n) => n.StartsWith("body.conv1.") || n.StartsWith("body.bn1.") || n.StartsWith("body.layer1.") || n.StartsWith("body.layer2.");
        bool InDeep(string n) => n.StartsWith("body.layer3.") || n.StartsWith("body.layer4.");
        var groups = new[]
        {
            new ParameterGroup("body: stem, layer1, layer2", all.Where(p => InStem(p.Name)).ToList()),
            new ParameterGroup("body: layer3, layer4", all.Where(p => InDeep(p.Name)).ToList()),
            new ParameterGroup("head", all.Where(p => !InStem(p.Name) && !InDeep(p.Name)).ToList()),
        };
        if (groups.Any(g => g.Parameters.Count == 0))
            throw new ArgumentException("The ResNet splitter expects a Sequential of ('body', ResNet body) and ('head', head).");
        return groups;
    }

    /// <summary>One group with every parameter (for models without a known split).</summary>
    public static IReadOnlyList<ParameterGroup> Single(nn.Module model) => [new ParameterGroup("all", Describe(model))];

    /// <summary>Whether <paramref name="module"/> is a BatchNorm layer (its parameters get no weight decay and may train while frozen).</summary>
    public static bool IsBatchNorm(nn.Module module) =>
        module is Models.Layers.BatchNorm or TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d;

    /// <summary>Every parameter with its name and whether it is a BatchNorm parameter or a bias.</summary>
    public static List<GroupParameter> Describe(nn.Module model)
    {
        var norm = new HashSet<TorchSharp.Modules.Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (_, module) in model.named_modules())
            if (IsBatchNorm(module))
                foreach (var p in module.parameters(recurse: false)) norm.Add(p);
        return model.named_parameters().Select(np => new GroupParameter(np.name, np.parameter, norm.Contains(np.parameter), np.name.EndsWith(".bias", StringComparison.Ordinal))).ToList();
    }
}
