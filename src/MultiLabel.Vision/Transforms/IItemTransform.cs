namespace MultiLabel.Vision.Transforms;

/// <summary>An item transform: runs on one decoded image (CPU, in the loader's workers) before batching.</summary>
public interface IItemTransform
{
    /// <summary>Transforms <paramref name="sample"/> in place; <paramref name="training"/> selects random vs. deterministic
    /// behaviour; <paramref name="random"/> is seeded per item and epoch.</summary>
    void Apply(ImageSample sample, bool training, Random random);
}
