using MultiLabel.Vision.Optimizers;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>Mixed precision (fastai's to_bf16 / to_fp32), through <see cref="MixedPrecision"/>. Outputs are cast back to
/// float32 before the loss, metrics and predictions.</summary>
public sealed partial class Learner
{
    Dictionary<string, Tensor>? masters;

    /// <summary>Whether the model computes in bfloat16 with float32 master weights (<see cref="ToBf16"/>).</summary>
    public bool IsMixedPrecision => masters is not null;

    /// <summary>Whether inputs and convolution weights are laid out channels-last.</summary>
    public bool ChannelsLast { get; private set; }

    /// <summary>Trains and predicts in bfloat16 with float32 master weights (and channels-last unless told otherwise).
    /// Resets the optimizer's state, as freezing does. Returns the learner, for chaining as in fastai.</summary>
    public Learner ToBf16(bool channelsLast = true)
    {
        if (IsMixedPrecision) ToFp32();
        masters = MixedPrecision.ToBf16(Model, channelsLast);
        ChannelsLast = channelsLast;
        RebuildGroups();
        return this;
    }

    /// <summary>Back to float32 everywhere, with the master weights' exact values. Resets the optimizer's state.</summary>
    public Learner ToFp32()
    {
        if (masters is null) return this;
        MixedPrecision.ToFp32(Model, masters);
        foreach (var m in masters.Values) m.Dispose();
        masters = null;
        ChannelsLast = false;
        RebuildGroups();
        return this;
    }

    /// <summary>The model's float32 output for a float32 batch, whatever the precision the model computes in.</summary>
    internal Tensor Forward(Tensor x)
    {
        if (masters is null) return Model.call(x);
        using var input = MixedPrecision.Input(x, ChannelsLast);
        using var output = Model.call(input);
        return output.to(ScalarType.Float32);
    }

    /// <summary>The model's weights as float32 CPU tensors, contiguous, masters in place of bfloat16 copies (for export).</summary>
    internal Dictionary<string, Tensor> Float32Weights() =>
        Model.state_dict().ToDictionary(kv => kv.Key, kv =>
        {
            var source = masters is not null && masters.TryGetValue(kv.Key, out var m) ? m : kv.Value;
            return source.detach().to(source.dtype == ScalarType.BFloat16 ? ScalarType.Float32 : source.dtype).cpu().contiguous();
        });

    /// <summary>A copy of every weight, statistic and master, to put back after an experiment (lr_find).</summary>
    internal WeightsCopy CopyWeights() => new(
        Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()),
        masters?.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()) ?? []);

    internal void RestoreWeights(WeightsCopy copy)
    {
        using var _ = no_grad();
        foreach (var (key, tensor) in Model.state_dict()) tensor.copy_(copy.State[key]);
        if (masters is not null)
            foreach (var (key, master) in masters) master.copy_(copy.Masters[key]);
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
    void RebuildGroups()
    {
        var previous = Groups;
        var fresh = splitter(Model).Select((g, i) => new ParameterGroup(g.Name, g.Parameters)
        {
            LearningRate = previous[i].LearningRate, // the same splitter on the same model: the same groups
            Momentum = previous[i].Momentum,
        }).ToList();
        Groups = masters is null ? fresh : MixedPrecision.WithMasters(fresh, masters);
        optimizer?.Dispose();
        optimizer = null;
    }
}
