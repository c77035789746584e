using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's MixedPrecision callback, for bfloat16: added by <see cref="Learner.ToBf16"/> (or <c>learn.Add(new
/// MixedPrecision())</c>, or for one fit in its callbacks), removed by <see cref="Learner.ToFp32"/>. TorchSharp has no
/// autocast, so instead of casting per operation the callback converts the model when it is added: every layer except
/// BatchNorm becomes bfloat16 (BatchNorm keeps float32 parameters and statistics, which libtorch accepts with bfloat16
/// activations), convolution weights and inputs may be laid out channels-last, and float32 masters of the converted
/// parameters take the optimizer's updates. bfloat16 has float32's range, so no loss scaling is needed. Every forward pass
/// of the learner (the loop, predictions, the summary) then gets a bfloat16 input and returns float32 outputs, as fastai's
/// <c>after_pred</c> does, so the loss, metrics and predictions are computed in float32. Removing it converts back, with
/// the masters' exact values.
/// </summary>
/// <param name="channelsLast">Lay convolution weights and inputs out channels-last (faster with oneDNN and tensor cores).</param>
public sealed class MixedPrecision(bool channelsLast = true) : Callback
{
    Dictionary<string, Tensor>? masters;

    /// <summary>Whether inputs and convolution weights are laid out channels-last.</summary>
    public bool ChannelsLast { get; } = channelsLast;

    /// <summary>The float32 masters by parameter name (empty before the callback is added).</summary>
    internal IReadOnlyDictionary<string, Tensor> Masters => masters ?? [];

    /// <summary>"bfloat16 with float32 master weights, channels-last".</summary>
    public override string ToString() => $"bfloat16 with float32 master weights{(ChannelsLast ? ", channels-last" : "")}";

    internal override void Added()
    {
        if (Learner.MixedPrecision is not null)
        {
            Learner.Remove(this);
            throw new InvalidOperationException("The learner is already in mixed precision: call ToFp32() first, or ToBf16(), which does.");
        }
        masters = Convert(Learner.Model, ChannelsLast);
        Learner.MixedPrecision = this;
        Learner.RebuildGroups();
    }

    internal override void Removed()
    {
        if (masters is null) return;
        Revert(Learner.Model, masters);
        foreach (var m in masters.Values) m.Dispose();
        masters = null;
        Learner.MixedPrecision = null;
        Learner.RebuildGroups();
    }

    /// <summary>The float32 output of <paramref name="model"/> for a float32 batch: the input in bfloat16 (channels-last
    /// when asked, in one kernel), the output back in float32.</summary>
    internal Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var input = ChannelsLast && x.dim() == 4 ? MemoryLayout.ToChannelsLast(x, ScalarType.BFloat16) : x.to(ScalarType.BFloat16);
        using var output = model.call(input);
        return output.to(ScalarType.Float32);
    }

    /// <summary>The groups with each converted parameter's master attached.</summary>
    internal IReadOnlyList<ParameterGroup> WithMasters(IReadOnlyList<ParameterGroup> groups) =>
        groups.Select(g => new ParameterGroup(g.Name,
                g.Parameters.Select(p => masters is not null && masters.TryGetValue(p.Name, out var m) ? p with { Master = m } : p).ToList())
            { LearningRate = g.LearningRate, Momentum = g.Momentum }).ToList();

    /// <summary>Releases the masters (the learner's Dispose).</summary>
    internal void ReleaseMasters()
    {
        foreach (var m in masters?.Values ?? Enumerable.Empty<Tensor>()) m.Dispose();
        masters = null;
    }

    /// <summary>Converts <paramref name="model"/> in place; returns the float32 masters by parameter name. Converting
    /// replaces the Parameter objects, so parameter groups must be made afterwards.</summary>
    static Dictionary<string, Tensor> Convert(nn.Module model, bool channelsLast)
    {
        using var _ = no_grad();
        var leaves = ConvertibleLeaves(model);
        var copies = leaves.SelectMany(leaf => leaf.Module.named_parameters(recurse: false)
                .Select(np => (Name: leaf.Name.Length == 0 ? np.name : $"{leaf.Name}.{np.name}", np.parameter)))
            .ToDictionary(np => np.Name, np => np.parameter.detach().clone().DetachFromDisposeScope());
        foreach (var (_, module) in leaves) module.to(ScalarType.BFloat16);
        foreach (var (_, p) in model.named_parameters())
        {
            if (channelsLast && p.dim() == 4) p.set_(MemoryLayout.ToChannelsLast(p));
            p.grad = null; // a gradient carried over by the conversion would keep the old layout
        }
        return copies;
    }

    /// <summary>Converts back to float32, contiguous, with the masters' exact values.</summary>
    static void Revert(nn.Module model, IReadOnlyDictionary<string, Tensor> masters)
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

    /// <summary>Layers holding parameters directly, other than BatchNorm.</summary>
    static List<(string Name, nn.Module Module)> ConvertibleLeaves(nn.Module model) =>
        model.named_modules()
            .Where(m => !m.module.children().Any() && m.module.parameters(recurse: false).Any() && !ParameterGroups.IsBatchNorm(m.module))
            .Select(m => (m.name, m.module))
            .ToList();
}
