using MultiLabel.Vision.Optimizers;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>Mixed precision (fastai's to_bf16 / to_fp16 / to_fp32): adding and removing the <see cref="Training.MixedPrecision"/>
/// callback, and the one forward pass every part of the learner uses.</summary>
public sealed partial class Learner
{
    /// <summary>The mixed-precision callback in use, or null in float32 (it registers itself when added: the forward
    /// pass of every batch asks for it).</summary>
    public MixedPrecision? MixedPrecision { get; internal set; }

    /// <summary>Whether the model computes in a half type with float32 master weights (<see cref="ToBf16"/>,
    /// <see cref="ToFp16"/>).</summary>
    public bool IsMixedPrecision => MixedPrecision is not null;

    /// <summary>Whether inputs and convolution weights are laid out channels-last.</summary>
    public bool ChannelsLast => MixedPrecision?.ChannelsLast ?? false;

    /// <summary>fastai's <c>to_bf16</c>: adds the <see cref="Training.MixedPrecision"/> callback, which trains and predicts in
    /// bfloat16 with float32 master weights (and channels-last unless told otherwise). Resets the optimizer's state, as
    /// freezing does. Returns the learner, for chaining as in fastai.</summary>
    public Learner ToBf16(bool channelsLast = true)
    {
        ToFp32();
        return Add(new MixedPrecision(AmpMode.Bf16, channelsLast));
    }

    /// <summary>fastai's <c>to_fp16</c>: adds the <see cref="Training.MixedPrecision"/> callback in float16, which trains
    /// and predicts in float16 with float32 master weights and dynamic loss scaling (<paramref name="scaler"/>, PyTorch's
    /// <c>GradScaler</c> defaults when null: 2¹⁶, ×2 every 2000 clean steps, ×0.5 on overflow). The choice for GPUs'
    /// tensor cores; on CPUs without native float16 it is emulated and far slower than float32 (use <see cref="ToBf16"/>
    /// there). Resets the optimizer's state. Returns the learner.</summary>
    public Learner ToFp16(bool channelsLast = true, GradScaler? scaler = null)
    {
        ToFp32();
        return Add(new MixedPrecision(AmpMode.Fp16, channelsLast, scaler));
    }

    /// <summary>fastai's <c>to_fp32</c>: removes the mixed-precision callback; float32 everywhere again, with the master
    /// weights' exact values. Resets the optimizer's state.</summary>
    public Learner ToFp32()
    {
        if (MixedPrecision is { } precision) Remove(precision);
        return this;
    }

    /// <summary>The model's float32 output for a float32 batch, whatever the precision the model computes in.</summary>
    internal Tensor Forward(Tensor x) => MixedPrecision is { } precision ? precision.Forward(Model, x) : Model.call(x);

    /// <summary>The model's weights as float32 CPU tensors, contiguous, masters in place of half copies (for export).</summary>
    internal Dictionary<string, Tensor> Float32Weights()
    {
        var masters = MixedPrecision?.Masters;
        return Model.state_dict().ToDictionary(kv => kv.Key, kv =>
        {
            var source = masters is not null && masters.TryGetValue(kv.Key, out var m) ? m : kv.Value;
            return source.detach().to(source.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? ScalarType.Float32 : source.dtype).cpu().contiguous();
        });
    }

    /// <summary>A copy of every weight, statistic and master, to put back after an experiment (lr_find).</summary>
    internal WeightsCopy CopyWeights() => new(
        Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()),
        MixedPrecision?.Masters.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()) ?? []);

    internal void RestoreWeights(WeightsCopy copy)
    {
        using var _ = no_grad();
        foreach (var (key, tensor) in Model.state_dict()) tensor.copy_(copy.State[key]);
        foreach (var (key, master) in MixedPrecision?.Masters ?? new Dictionary<string, Tensor>()) master.copy_(copy.Masters[key]);
    }

    internal sealed record WeightsCopy(Dictionary<string, Tensor> State, Dictionary<string, Tensor> Masters) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in State.Values.Concat(Masters.Values)) t.Dispose();
        }
    }

    /// <summary>Converting a module replaces its Parameter objects: group them again, keeping the hyper-parameters, attach
    /// the masters, and start a new optimizer over them.</summary>
    internal void RebuildGroups()
    {
        var previous = Groups;
        IReadOnlyList<ParameterGroup> fresh = splitter(Model).Select((g, i) => new ParameterGroup(g.Name, g.Parameters)
        {
            LearningRate = previous[i].LearningRate, // the same splitter on the same model: the same groups
            Momentum = previous[i].Momentum,
        }).ToList();
        Groups = MixedPrecision is { } precision ? precision.WithMasters(fresh) : fresh;
        optimizer?.Dispose();
        optimizer = null;
    }
}
