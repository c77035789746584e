using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's MixedPrecision callback, in bfloat16 (<see cref="Learner.ToBf16"/>, the default here) or float16
/// (<see cref="Learner.ToFp16"/>, fastai's default, with dynamic loss scaling); removed by <see cref="Learner.ToFp32"/>. It
/// can also be added as <c>learn.Add(new MixedPrecision())</c>, or for one fit in its callbacks. TorchSharp has no
/// autocast, so instead of casting per operation the callback converts the model when it is added: every layer except
/// BatchNorm takes the half type (BatchNorm keeps float32 parameters and statistics, which libtorch accepts with half
/// activations), convolution weights and inputs may be laid out channels-last, and float32 masters of the converted
/// parameters take the optimizer's updates. Every forward pass of the learner (the loop, predictions, the summary) then
/// gets a half input and returns float32 outputs, as fastai's <c>after_pred</c> does, so the loss, metrics and predictions
/// are computed in float32. bfloat16 has float32's range, so it needs no loss scaling; float16 does: before the backward
/// pass the loss is multiplied by the <see cref="Scaler"/>'s scale, before the step the gradients are checked for overflow
/// (an overflowed step is skipped, fastai's <c>CancelStepException</c>) and the optimizer divides them back in float32.
/// Removing the callback converts back, with the masters' exact values.
/// </summary>
/// <param name="mode">The half type: bfloat16 (default) or float16.</param>
/// <param name="channelsLast">Lay convolution weights and inputs out channels-last (faster with oneDNN and tensor cores).</param>
/// <param name="scaler">The float16 loss scaler (PyTorch's defaults when null); not used in bfloat16.</param>
public sealed class MixedPrecision(AmpMode mode = AmpMode.Bf16, bool channelsLast = true, GradScaler? scaler = null) : Callback
{
    Dictionary<string, Tensor>? masters;
    Scalar? lossScale; // the scale as a Scalar, made once per scale (not per batch)
    bool overflowed; // whether this batch's gradients overflowed (float16)

    /// <summary>The half type the model computes in.</summary>
    public AmpMode Mode { get; } = mode;

    /// <summary>The half type as a tensor element type.</summary>
    public ScalarType HalfType { get; } = mode == AmpMode.Fp16 ? ScalarType.Float16 : ScalarType.BFloat16;

    /// <summary>Whether inputs and convolution weights are laid out channels-last.</summary>
    public bool ChannelsLast { get; } = channelsLast;

    /// <summary>The dynamic loss scaler in float16 (fastai's <c>learn.scaler</c>); null in bfloat16.</summary>
    public GradScaler? Scaler { get; } = mode == AmpMode.Fp16 ? scaler ?? new GradScaler() : null;

    /// <summary>The float32 masters by parameter name (empty before the callback is added).</summary>
    internal IReadOnlyDictionary<string, Tensor> Masters => masters ?? [];

    /// <summary>"bfloat16 with float32 master weights, channels-last", or the float16 equivalent with its loss scale.</summary>
    public override string ToString() =>
        $"{(Mode == AmpMode.Fp16 ? "float16" : "bfloat16")} with float32 master weights{(ChannelsLast ? ", channels-last" : "")}" +
        (Scaler is { } s ? $", {s}" : "");

    internal override void Added()
    {
        if (Learner.MixedPrecision is not null)
        {
            Learner.Remove(this);
            throw new InvalidOperationException("The learner is already in mixed precision: call ToFp32() first, or ToBf16() / ToFp16(), which do.");
        }
        masters = Convert(Learner.Model, HalfType, ChannelsLast);
        Learner.MixedPrecision = this;
        Learner.RebuildGroups();
    }

    internal override void Removed()
    {
        if (masters is null) return;
        Revert(Learner.Model, masters);
        foreach (var m in masters.Values) m.Dispose();
        masters = null;
        lossScale?.Dispose();
        lossScale = null;
        Learner.MixedPrecision = null;
        Learner.RebuildGroups();
    }

    /// <summary>float16: the loss the backward pass starts from is multiplied by the scale (fastai's <c>loss_grad</c>).</summary>
    public override void BeforeBackward()
    {
        if (Scaler is null) return;
        lossScale ??= Scaler.Scale.ToScalar();
        Learner.LossGrad = Learner.LossGrad!.mul(lossScale);
    }

    /// <summary>float16: a step whose gradients overflowed is skipped; otherwise the optimizer divides them by the scale in
    /// float32 (dividing in float16 would flush the small gradients the scaling saved).</summary>
    public override void BeforeStep()
    {
        if (Scaler is null) return;
        overflowed = Overflowed(Learner.Groups);
        if (overflowed) throw new CancelStepException();
        Learner.Optimizer.GradientScale = Scaler.Scale;
    }

    /// <summary>float16: the scaler backs off after an overflow and grows after enough clean steps (fastai's
    /// <c>scaler.update()</c>, which runs after skipped steps too).</summary>
    public override void AfterStep()
    {
        if (Scaler is null) return;
        double before = Scaler.Scale;
        Scaler.Update(overflowed);
        if (Scaler.Scale != before)
        {
            lossScale?.Dispose();
            lossScale = null;
        }
    }

    /// <summary>Whether any gradient holds an infinity or a NaN: one reduction per gradient, one read at the end.</summary>
    static bool Overflowed(IReadOnlyList<ParameterGroup> groups)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor? bad = null;
        foreach (var p in groups.SelectMany(g => g.Parameters))
        {
            if (p.Parameter.grad is not { } g) continue;
            var count = g.isfinite().logical_not().any();
            bad = bad is null ? count : bad.logical_or_(count);
        }
        return bad is not null && bad.item<bool>();
    }

    /// <summary>The float32 output of <paramref name="model"/> for a float32 batch: the input in the half type
    /// (channels-last when asked, in one kernel), the output back in float32.</summary>
    internal Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var input = ChannelsLast && x.dim() == 4 ? MemoryLayout.ToChannelsLast(x, HalfType) : x.to(HalfType);
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
        lossScale?.Dispose();
        lossScale = null;
    }

    /// <summary>Converts <paramref name="model"/> in place; returns the float32 masters by parameter name. Converting
    /// replaces the Parameter objects, so parameter groups must be made afterwards.</summary>
    static Dictionary<string, Tensor> Convert(nn.Module model, ScalarType half, bool channelsLast)
    {
        using var _ = no_grad();
        var leaves = ConvertibleLeaves(model);
        var copies = leaves.SelectMany(leaf => leaf.Module.named_parameters(recurse: false)
                .Select(np => (Name: leaf.Name.Length == 0 ? np.name : $"{leaf.Name}.{np.name}", np.parameter)))
            .ToDictionary(np => np.Name, np => np.parameter.detach().clone().DetachFromDisposeScope());
        foreach (var (_, module) in leaves) module.to(half);
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
