using TorchSharp;

namespace MultiLabel.Vision.Transforms;

/// <summary>A batch on its way through the batch transforms: images [B, 3, H, W] (0..1, or normalised after
/// <see cref="Normalize"/>) and, for point targets, points [B, N, 2] in [-1, 1].</summary>
public sealed class BatchTensors
{
    /// <summary>Images [B, 3, H, W]; a transform may replace the tensor (and disposes the one it replaces).</summary>
    public torch.Tensor Images { get; set; }
    /// <summary>Points [B, N, 2] in [-1, 1], or null without point targets.</summary>
    public torch.Tensor? Points { get; set; }

    /// <summary>A batch of <paramref name="images"/> and, for point targets, their <paramref name="points"/>.</summary>
    public BatchTensors(torch.Tensor images, torch.Tensor? points = null)
    {
        Images = images;
        Points = points;
    }
}
