namespace MultiLabel.Vision.Transforms;

/// <summary>An item transform with a fixed output size; the loader then decodes JPEGs no larger than needed.</summary>
public interface ISizedTransform
{
    /// <summary>The size of every image the transform puts out.</summary>
    (int Height, int Width) OutputSize { get; }
}
