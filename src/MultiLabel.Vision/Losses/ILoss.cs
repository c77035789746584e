using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Losses;

/// <summary>A loss with what predictions need from it: the activation that turns outputs into probabilities or
/// values (fastai's loss_func.activation) — sigmoid, softmax or identity.</summary>
public interface ILoss
{
    string Name { get; }
    Tensor Compute(Tensor output, Tensor target);
    Tensor Activation(Tensor output);
}
