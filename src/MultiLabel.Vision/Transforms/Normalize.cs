using MultiLabel.Vision.Tensors;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Transforms;

/// <summary>Per-channel (x − mean) / std on 0..1 images; <see cref="ImageNet"/> is what pretrained ResNets expect.</summary>
public sealed class Normalize : IBatchTransform
{
    /// <summary>The R, G, B means subtracted.</summary>
    public IReadOnlyList<float> Mean { get; }
    /// <summary>The R, G, B standard deviations divided by.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>Normalisation by three <paramref name="mean"/>s and three positive <paramref name="std"/>s.</summary>
    public Normalize(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        if (mean.Count != 3 || std.Count != 3) throw new ArgumentException("Normalize needs three means and three standard deviations (R, G, B).");
        if (std.Any(s => s <= 0)) throw new ArgumentOutOfRangeException(nameof(std), "Standard deviations must be positive.");
        (Mean, Std) = (mean, std);
    }

    /// <summary>ImageNet's statistics (fastai's <c>imagenet_stats</c>).</summary>
    public static Normalize ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    // Per-device copies of the statistics, made once instead of for every batch.
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Tensor Mean, Tensor Std)> statistics = new();

    (Tensor Mean, Tensor Std) On(Device device) => statistics.GetOrAdd(device.ToString(), _ =>
        (tensor(Mean.ToArray(), device: device).view(1, 3, 1, 1).DetachFromDisposeScope(),
         tensor(Std.ToArray(), device: device).view(1, 3, 1, 1).DetachFromDisposeScope()));

    /// <inheritdoc/>
    public void Apply(BatchTensors batch, bool training, Random random)
    {
        var (mean, std) = On(batch.Images.device);
        batch.Images = (batch.Images - mean).div_(std);
    }

    /// <summary>The inverse, for showing a batch: x·std + mean, clamped to 0..1.</summary>
    public Tensor Denormalize(Tensor x)
    {
        var (mean, std) = On(x.device);
        return x.mul(std).add_(mean, Scalars.One).clamp_(Scalars.Zero, Scalars.One);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Normalize(mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}])";
}
