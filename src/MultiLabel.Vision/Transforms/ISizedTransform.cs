namespace MultiLabel.Vision.Transforms;

/// <summary>An item transform with a fixed output size; the loader then decodes JPEGs no larger than needed.</summary>
public interface ISizedTransform
{
    (int Height, int Width) OutputSize { get; }
}
