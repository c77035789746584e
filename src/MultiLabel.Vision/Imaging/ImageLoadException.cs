namespace MultiLabel.Vision.Imaging;

/// <summary>An image file that could not be used, with the file named.</summary>
public sealed class ImageLoadException : IOException
{
    /// <summary>The file that could not be used.</summary>
    public string ImagePath { get; }

    /// <summary>An error for <paramref name="imagePath"/>, saying <paramref name="reason"/>.</summary>
    public ImageLoadException(string imagePath, string reason, Exception? inner = null)
        : base($"Image '{imagePath}': {reason}", inner)
    {
        ImagePath = imagePath;
    }
}
