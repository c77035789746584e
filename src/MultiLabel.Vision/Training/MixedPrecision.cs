using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// bfloat16 training without autocast (TorchSharp has none): every layer except BatchNorm is converted to bfloat16
/// (BatchNorm keeps float32 parameters and statistics, which libtorch accepts with bfloat16 activations), convolution
/// weights and inputs may be laid out channels-last, and float32 masters of the converted parameters take the optimizer's
/// updates. bfloat16 has float32's range, so no loss scaling is needed. <see cref="Learner.ToBf16"/> uses this.
/// </summary>
public static class MixedPrecision
{
    /// <summary>Converts <paramref name="model"/> in place; returns the float32 masters by parameter name. Converting
    /// replaces the Parameter objects, so parameter groups must be made afterwards (<see cref="WithMasters"/>).</summary>
    public static Dictionary<string, Tensor> ToBf16(nn.Module model, bool channelsLast)
    {
        using var _ = no_grad();
        var leaves = ConvertibleLeaves(model);
        var masters = leaves.SelectMany(leaf => leaf.Module.named_parameters(recurse: false)
                .Select(np => (Name: leaf.Name.Length == 0 ? np.name : $"{leaf.Name}.{np.name}", np.parameter)))
            .ToDictionary(np => np.Name, np => np.parameter.detach().clone().DetachFromDisposeScope());
        foreach (var (_, module) in leaves) module.to(ScalarType.BFloat16);
        foreach (var (_, p) in model.named_parameters())
        {
            if (channelsLast && p.dim() == 4) p.set_(MemoryLayout.ToChannelsLast(p));
            p.grad = null; // a gradient carried over by the conversion would keep the old layout
        }
        return masters;
    }

    /// <summary>Converts back to float32, contiguous, with the masters' exact values.</summary>
    public static void ToFp32(nn.Module model, IReadOnlyDictionary<string, Tensor> masters)
    {
        using var _ = no_grad();
        foreach (var (_, module) in ConvertibleLeaves(model)) module.to(ScalarType.Float32);
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.is_contiguous()) p.set_(p.contiguous());
            if (masters.TryGetValue(name, out var master)) p.copy_(master);
            p.grad = null;
        }
    }

    /// <summary>The groups with each converted parameter's master attached.</summary>
    public static IReadOnlyList<ParameterGroup> WithMasters(IReadOnlyList<ParameterGroup> groups, IReadOnlyDictionary<string, Tensor> masters) =>
        groups.Select(g => new ParameterGroup(g.Name,
                g.Parameters.Select(p => masters.TryGetValue(p.Name, out var m) ? p with { Master = m } : p).ToList())
            { LearningRate = g.LearningRate, Momentum = g.Momentum }).ToList();

    /// <summary>A float32 batch as the converted model takes it: bfloat16, channels-last when asked (one kernel).</summary>
    public static Tensor Input(Tensor x, bool channelsLast) =>
        channelsLast && x.dim() == 4 ? MemoryLayout.ToChannelsLast(x, ScalarType.BFloat16) : x.to(ScalarType.BFloat16);

    /// <summary>Layers holding parameters directly, other than BatchNorm.</summary>
    static List<(string Name, nn.Module Module)> ConvertibleLeaves(nn.Module model) =>
        model.named_modules()
            .Where(m => !m.module.children().Any() && m.module.parameters(recurse: false).Any() && !ParameterGroups.IsBatchNorm(m.module))
            .Select(m => (m.name, m.module))
            .ToList();
}
