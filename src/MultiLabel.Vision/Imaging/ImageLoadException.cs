namespace MultiLabel.Vision.Imaging;

/// <summary>An image file that could not be used, with the file named.</summary>
public sealed class ImageLoadException : IOException
{
    public string ImagePath { get; }

    public ImageLoadException(string imagePath, string reason, Exception? inner = null)
        : base($"Image '{imagePath}': {reason}", inner)
    {
        ImagePath = imagePath;
    }
}
