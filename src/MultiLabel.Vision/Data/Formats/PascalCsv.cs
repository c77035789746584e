using MultiLabel.Vision.Data.Tables;

namespace MultiLabel.Vision.Data.Formats;

/// <summary>One PASCAL-style row: the image file, its labels (possibly none) and whether it is for validation.</summary>
public sealed record PascalItem(string ImagePath, IReadOnlyList<string> Labels, bool IsValid, string Location) : ILocated;

/// <summary>
/// PASCAL VOC 2007 as the chapter reads it: <c>train.csv</c> with <c>fname,labels,is_valid</c> (labels space-separated,
/// is_valid True/False) and the images in <c>train/</c>.
/// </summary>
public static class PascalCsv
{
    /// <summary>The rows of <c>root/csv</c> with their images in <c>root/imageFolder</c>.</summary>
    public static LoadReport<PascalItem> Load(string root, string csv = "train.csv", string imageFolder = "train", OnBadItem onBadItem = OnBadItem.Throw)
    {
        var table = Table.ReadCsv(Path.Combine(root, csv));
        table.RequireColumns("fname", "labels", "is_valid");
        var collector = new ItemCollector<PascalItem>(onBadItem);
        foreach (var row in table.Rows)
            collector.Try(row.Location, () => Parse(row, Path.Combine(root, imageFolder)));
        return collector.Report();
    }

    static PascalItem Parse(TableRow row, string imageFolder)
    {
        var fname = row["fname"].Trim();
        if (fname.Length == 0) throw new InvalidDataException($"{row.Location}: fname is empty.");
        var path = Path.Combine(imageFolder, fname);
        if (!File.Exists(path)) throw new InvalidDataException($"{row.Location}: the image '{path}' does not exist.");
        return new PascalItem(path, SplitLabels(row["labels"]), ParseBool(row, "is_valid"), row.Location);
    }

    /// <summary>Space-separated labels; an empty cell is an image with no label.</summary>
    public static IReadOnlyList<string> SplitLabels(string labels) =>
        labels.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>pandas writes booleans as True/False; 1/0 and any case are accepted too.</summary>
    public static bool ParseBool(TableRow row, string column)
    {
        var text = row[column].Trim();
        return text.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new InvalidDataException($"{row.Location}: {column} is '{text}'; expected True or False."),
        };
    }
}
