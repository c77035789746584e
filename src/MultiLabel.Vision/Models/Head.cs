using MultiLabel.Vision.Models.Layers;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Models;

/// <summary>
/// fastai's head for a pretrained body with <c>nf</c> output features: concat pool → flatten → BatchNorm1d(2nf) →
/// Dropout(ps/2) → Linear(2nf, 512, no bias) → ReLU → BatchNorm1d(512) → Dropout(ps) → Linear(512, nOut, no bias)
/// [→ SigmoidRange(yRange)]. Linear weights Kaiming-normal; BatchNorm weight 1, bias 1e-3.
/// </summary>
public static class Head
{
    /// <summary>The head for a body with <paramref name="nf"/> features and <paramref name="nOut"/> outputs.</summary>
    /// <param name="nf">Features the body puts out (512 for ResNet-18/34, 2048 for ResNet-50).</param>
    /// <param name="nOut">Model outputs (the target block's <c>OutputCount</c>).</param>
    /// <param name="yRange">When set, a final <see cref="Layers.SigmoidRange"/> keeps outputs in it.</param>
    /// <param name="ps">Dropout of the last linear layer (half of it before the first).</param>
    /// <param name="hidden">Width of the hidden linear layer.</param>
    public static TorchSharp.Modules.Sequential Create(int nf, int nOut, (double Low, double High)? yRange = null, double ps = 0.5, int hidden = 512)
    {
        if (nf < 1 || nOut < 1) throw new ArgumentOutOfRangeException(nameof(nOut), $"The head needs positive sizes (features {nf}, outputs {nOut}).");
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("pool", new AdaptiveConcatPool2d()),
            ("flatten", Flatten()),
            ("bn1", BatchNorm.For1d(2 * nf)),
            ("drop1", Dropout(ps / 2)),
            ("lin1", Linear(2 * nf, hidden, hasBias: false)),
            ("relu", ReLU(inplace: true)),
            ("bn2", BatchNorm.For1d(hidden)),
            ("drop2", Dropout(ps)),
            ("lin2", Linear(hidden, nOut, hasBias: false)),
        };
        if (yRange is { } r) layers.Add(("range", new SigmoidRange(r.Low, r.High)));
        var head = Sequential(layers);
        Initialize(head);
        return head;
    }

    static readonly Scalar BiasInit = 1e-3.ToScalar();

    static void Initialize(Module head)
    {
        using var _ = no_grad();
        foreach (var (_, module) in head.named_modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Linear linear:
                    init.kaiming_normal_(linear.weight);
                    break;
                case BatchNorm bn:
                    bn.Weight.fill_(Scalars.One);
                    bn.Bias.fill_(BiasInit);
                    break;
            }
        }
    }
}
