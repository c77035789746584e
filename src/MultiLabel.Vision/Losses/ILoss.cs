using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>A loss with what predictions need from it: the activation that turns outputs into probabilities or
/// values (fastai's loss_func.activation) — sigmoid, softmax or identity.</summary>
public interface ILoss
{
    /// <summary>The name shown in summaries and written into exports (fastai's class name).</summary>
    string Name { get; }
    /// <summary>The mean loss of a batch: raw model outputs against encoded targets, as a scalar tensor.</summary>
    Tensor Compute(Tensor output, Tensor target);
    /// <summary>Raw outputs to what predictions report: probabilities (sigmoid, softmax) or values (identity).</summary>
    Tensor Activation(Tensor output);
}
