using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Transforms;

/// <summary>An item transform with a fixed output size; the loader then decodes JPEGs no larger than needed.</summary>
public interface ISizedTransform
{
    /// <summary>The size of every image the transform puts out.</summary>
    (int Height, int Width) OutputSize { get; }

    /// <summary>The least a reduced decode must keep for this transform. By default a shorter side as long as the
    /// output's longer one, which holds for a crop of any aspect ratio.</summary>
    DecodeFloor NeededSource => new(Math.Max(OutputSize.Height, OutputSize.Width), 0, 0);
}
