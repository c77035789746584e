using TorchSharp;

namespace MultiLabel.Vision.Transforms;

/// <summary>A batch on its way through the batch transforms: images [B, 3, H, W] (0..1, or normalised after
/// <see cref="Normalize"/>) and, for point targets, points [B, N, 2] in [-1, 1].</summary>
public sealed class BatchTensors
{
    public torch.Tensor Images { get; set; }
    public torch.Tensor? Points { get; set; }

    public BatchTensors(torch.Tensor images, torch.Tensor? points = null)
    {
        Images = images;
        Points = points;
    }
}

/// <summary>A batch transform: runs on whole batches as tensor operations, on the batch's device (GPU when used).</summary>
public interface IBatchTransform
{
    /// <summary>Transforms the batch in place; <paramref name="random"/> is seeded per batch and epoch.</summary>
    void Apply(BatchTensors batch, bool training, Random random);
}
