namespace MultiLabel.Vision.Data;

/// <summary>Items from a folder (fastai's get_image_files and parent_label).</summary>
public static class ImageFiles
{
    static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".tga" };

    /// <summary>Image files under <paramref name="folder"/> (recursively by default), in ordinal path order.</summary>
    public static IReadOnlyList<string> Get(string folder, bool recursive = true)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The image folder '{folder}' does not exist.");
        return Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The name of the folder holding a file: the label in a folder-per-class layout.</summary>
    public static string ParentLabel(string path) => Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
}
