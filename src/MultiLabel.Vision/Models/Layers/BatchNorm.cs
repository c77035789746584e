using MultiLabel.Vision.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MultiLabel.Vision.Models.Layers;

/// <summary>
/// Batch normalisation over the channel dimension, as PyTorch's BatchNorm1d/2d (affine, running statistics with
/// momentum 0.1, eps 1e-5) with the same parameter and buffer names (weight, bias, running_mean, running_var,
/// num_batches_tracked), so state dicts load unchanged. TorchSharp's own BatchNorm counts batches with an implicitly
/// created Scalar on every training call, which its finalizer can free during the native call (see
/// <see cref="Scalars"/>); this one does not.
/// </summary>
public sealed class BatchNorm : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names: TorchSharp finds fields by those names when the module moves or converts.
#pragma warning disable IDE1006
    Parameter weight;
    Parameter bias;
    Tensor running_mean;
    Tensor running_var;
    Tensor num_batches_tracked;
#pragma warning restore IDE1006

    /// <param name="features">Channels (the size of dimension 1).</param>
    /// <param name="inputDims">The input ranks accepted: 2 or 3 for a BatchNorm1d, 4 for a BatchNorm2d.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">Weight of the current batch in the running statistics.</param>
    public BatchNorm(long features, int[] inputDims, double eps = 1e-5, double momentum = 0.1) : base(inputDims.Contains(4) ? "BatchNorm2d" : "BatchNorm1d")
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "BatchNorm needs at least one feature.");
        (Features, InputDims, Eps, Momentum) = (features, inputDims, eps, momentum);
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = zeros([], ScalarType.Int64);
        RegisterComponents();
    }

    /// <summary>PyTorch's BatchNorm2d: inputs [N, C, H, W].</summary>
    public static BatchNorm For2d(long features) => new(features, [4]);

    /// <summary>PyTorch's BatchNorm1d: inputs [N, C] or [N, C, L].</summary>
    public static BatchNorm For1d(long features) => new(features, [2, 3]);

    /// <summary>Channels normalised.</summary>
    public long Features { get; }
    /// <summary>Input ranks accepted (4 for 2-D, 2 or 3 for 1-D).</summary>
    public IReadOnlyList<int> InputDims { get; }
    /// <summary>Added to the variance (PyTorch's 1e-5).</summary>
    public double Eps { get; }
    /// <summary>Weight of a batch in the running statistics (PyTorch's 0.1).</summary>
    public double Momentum { get; }
    /// <summary>The learnt scale (γ).</summary>
    public Parameter Weight => weight;
    /// <summary>The learnt shift (β).</summary>
    public Parameter Bias => bias;
    /// <summary>The running mean used in evaluation (a buffer, saved in state dicts).</summary>
    public Tensor RunningMean => running_mean;
    /// <summary>The running (unbiased) variance used in evaluation.</summary>
    public Tensor RunningVar => running_var;
    /// <summary>Training batches seen (PyTorch's <c>num_batches_tracked</c>).</summary>
    public Tensor BatchesTracked => num_batches_tracked;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (!InputDims.Contains((int)input.dim()))
            throw new ArgumentException($"{GetName()} expects a {string.Join(" or ", InputDims)}-dimensional input, got {input.dim()} dimensions ([{string.Join(", ", input.shape)}]).");
        if (training)
        {
            using (no_grad()) num_batches_tracked.add_(Scalars.One, Scalars.One);
        }
        // batch_norm updates the running statistics in place when training.
        return F.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Eps);
    }
}
