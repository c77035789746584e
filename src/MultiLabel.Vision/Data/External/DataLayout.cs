namespace MultiLabel.Vision.Data.External;

/// <summary>What an extracted dataset folder must contain: <see cref="Problem"/> names the first thing missing, or returns
/// null. Checked on a fresh extraction before it takes the dataset's name, and on a folder found in fastai's cache.</summary>
public sealed class DataLayout(string description, Func<string, string?> problem)
{
    /// <summary>What the layout is, in a few words (<c>train.csv and train/</c>).</summary>
    public string Description { get; } = description;

    /// <summary>The first thing <paramref name="folder"/> lacks, or null when it has everything.</summary>
    public string? Problem(string folder) => problem(folder);

    /// <summary>PASCAL VOC 2007 as fastai publishes it: <c>train.csv</c> and the <c>train/</c> images.</summary>
    public static DataLayout Pascal2007 { get; } = new("train.csv and train/", folder =>
        !File.Exists(Path.Combine(folder, "train.csv")) ? "train.csv is missing"
        : !Directory.Exists(Path.Combine(folder, "train")) ? "the folder train/ is missing"
        : null);

    /// <summary>BIWI head pose as fastai publishes it: one folder per person, <c>01</c> to <c>24</c>, each with the camera's
    /// <c>rgb.cal</c> (the <c>NN.obj</c> head models beside them are not images and are ignored).</summary>
    public static DataLayout BiwiHeadPose { get; } = new("folders 01 to 24, each with rgb.cal", folder =>
        Enumerable.Range(1, 24).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture))
            .Select(person => !Directory.Exists(Path.Combine(folder, person)) ? $"the folder {person}/ is missing"
                : !File.Exists(Path.Combine(folder, person, "rgb.cal")) ? $"{person}/rgb.cal is missing" : null)
            .FirstOrDefault(p => p is not null));
}
