using MultiLabel.Vision.Models;
using MultiLabel.Vision.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// Mixed precision (fastai's to_bf16 / to_fp32). TorchSharp has no autocast, so the model itself is converted: every
/// layer except BatchNorm computes in bfloat16 (BatchNorm keeps float32 parameters and statistics, which libtorch
/// accepts with bfloat16 activations), inputs and convolution weights are laid out channels-last, and float32 master
/// copies of the converted parameters take the optimizer's updates. bfloat16 has float32's range, so no loss scaling
/// is needed. Outputs are cast back to float32 before the loss, metrics and predictions.
/// </summary>
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
        var batchNorm = ParameterGroups.Describe(Model).Where(p => p.IsBatchNorm).Select(p => p.Name).ToHashSet();
        using (no_grad())
        {
            masters = Model.named_parameters().Where(np => !batchNorm.Contains(np.name))
                .ToDictionary(np => np.name, np => np.parameter.detach().clone().DetachFromDisposeScope());
            foreach (var module in LeavesWithParameters().Where(m => !IsBatchNorm(m))) module.to(ScalarType.BFloat16);
            if (channelsLast)
                foreach (var (_, p) in Model.named_parameters())
                    if (p.dim() == 4) p.set_(MemoryLayout.ToChannelsLast(p));
        }
        ChannelsLast = channelsLast;
        RebuildGroups();
        return this;
    }

    /// <summary>Back to float32 everywhere, with the master weights' exact values. Resets the optimizer's state.</summary>
    public Learner ToFp32()
    {
        if (masters is null) return this;
        using (no_grad())
        {
            foreach (var module in LeavesWithParameters().Where(m => !IsBatchNorm(m))) module.to(ScalarType.Float32);
            foreach (var (name, p) in Model.named_parameters())
            {
                if (!p.is_contiguous()) p.set_(p.contiguous());
                if (masters.TryGetValue(name, out var master)) p.copy_(master);
            }
        }
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
        using var input = ChannelsLast && x.dim() == 4 ? MemoryLayout.ToChannelsLast(x, ScalarType.BFloat16) : x.to(ScalarType.BFloat16);
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
        Groups = splitter(Model).Select((g, i) => new ParameterGroup(g.Name,
                g.Parameters.Select(p => masters is not null && masters.TryGetValue(p.Name, out var m) ? p with { Master = m } : p).ToList())
            {
                LearningRate = previous[Math.Min(i, previous.Count - 1)].LearningRate,
                Momentum = previous[Math.Min(i, previous.Count - 1)].Momentum,
            }).ToList();
        optimizer?.Dispose();
        optimizer = null;
    }

    IEnumerable<nn.Module> LeavesWithParameters() =>
        Model.named_modules().Select(m => m.module).Where(m => !m.children().Any() && m.parameters(recurse: false).Any());

    static bool IsBatchNorm(nn.Module m) =>
        m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d;
}
