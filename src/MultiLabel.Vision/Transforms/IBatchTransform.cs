namespace MultiLabel.Vision.Transforms;

/// <summary>A batch transform: runs on whole batches as tensor operations, on the batch's device (GPU when used).</summary>
public interface IBatchTransform
{
    /// <summary>Transforms the batch in place; <paramref name="random"/> is seeded per batch and epoch.</summary>
    void Apply(BatchTensors batch, bool training, Random random);
}
