using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Optimizers;

/// <summary>A group of parameters sharing hyper-parameters (fastai: one per body part and the head).</summary>
public sealed class ParameterGroup
{
    public ParameterGroup(string name, IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter, bool IsNormOrBias)> parameters) =>
        (Name, Parameters) = (name, parameters);

    public string Name { get; }
    /// <summary>The parameters, each flagged when it belongs to a BatchNorm layer or is a bias (no weight decay; trainable when frozen).</summary>
    public IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter, bool IsNormOrBias)> Parameters { get; }
    public double LearningRate { get; set; } = 1e-3;
    /// <summary>Adam's beta1, which fastai calls momentum and schedules.</summary>
    public double Momentum { get; set; } = 0.9;
}
