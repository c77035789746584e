using TorchSharp;

namespace MultiLabel.Vision.Optimizers;

/// <summary>A parameter with what the optimizer and freezing need to know about it.</summary>
public sealed record GroupParameter(string Name, TorchSharp.Modules.Parameter Parameter, bool IsBatchNorm, bool IsBias)
{
    /// <summary>In mixed precision, the float32 master copy of a bfloat16 parameter: the optimizer updates it and copies
    /// it into the parameter, so small updates are not lost to bfloat16 rounding. Null when the parameter is float32.</summary>
    public torch.Tensor? Master { get; init; }

    /// <summary>fastai applies no weight decay to BatchNorm parameters and biases.</summary>
    public bool Decays => !IsBatchNorm && !IsBias;
}

/// <summary>A group of parameters sharing hyper-parameters (fastai: for ResNets, stem+layer1+layer2, layer3+layer4, head).</summary>
public sealed class ParameterGroup(string name, IReadOnlyList<GroupParameter> parameters)
{
    /// <summary>The group's name, shown in summaries (for ResNets: the early body, the late body, the head).</summary>
    public string Name { get; } = name;
    /// <summary>The group's parameters.</summary>
    public IReadOnlyList<GroupParameter> Parameters { get; } = parameters;
    /// <summary>The learning rate for the next step (schedulers set it every batch).</summary>
    public double LearningRate { get; set; } = 1e-3;
    /// <summary>Adam's beta1, which fastai calls momentum and schedules.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Parameters.Count} tensors, {Parameters.Sum(p => p.Parameter.numel()):N0} numbers, lr {LearningRate:G3}";
}
