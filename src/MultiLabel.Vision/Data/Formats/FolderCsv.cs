using System.Globalization;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Formats;

/// <summary>An image with space-separated labels, from a folder + CSV; <see cref="IsValid"/> when the CSV has is_valid.</summary>
public sealed record LabeledImage(string ImagePath, IReadOnlyList<string> Labels, bool? IsValid, string Location) : ILocated;

/// <summary>An image with keypoints in pixels, from a folder + CSV with columns fname,x1,y1,x2,y2,….</summary>
public sealed record PointsImage(string ImagePath, IReadOnlyList<Point2> Points, bool? IsValid, string Location) : ILocated;

/// <summary>The generic layout: images in a folder and a CSV naming them, with either <c>fname,labels</c> or
/// <c>fname,x1,y1,…</c> (an optional <c>is_valid</c> column marks validation rows).</summary>
public static class FolderCsv
{
    /// <summary>Images of <paramref name="folder"/> with the labels that <paramref name="csv"/> (<c>fname,labels[,is_valid]</c>) gives them.</summary>
    public static LoadReport<LabeledImage> LoadLabels(string folder, string csv = "labels.csv", OnBadItem onBadItem = OnBadItem.Throw)
    {
        var table = Table.ReadCsv(Path.Combine(folder, csv));
        table.RequireColumns("fname", "labels");
        var collector = new ItemCollector<LabeledImage>(onBadItem);
        foreach (var row in table.Rows)
            collector.Try(row.Location, () => new LabeledImage(ImagePath(folder, row), PascalCsv.SplitLabels(row["labels"]), IsValid(table, row), row.Location));
        return collector.Report();
    }

    /// <summary>Images of <paramref name="folder"/> with the points that <paramref name="csv"/> (<c>fname,x1,y1,…[,is_valid]</c>) gives them, in pixels.</summary>
    public static LoadReport<PointsImage> LoadPoints(string folder, string csv = "points.csv", OnBadItem onBadItem = OnBadItem.Throw)
    {
        var table = Table.ReadCsv(Path.Combine(folder, csv));
        table.RequireColumns("fname", "x1", "y1");
        int count = 1;
        while (table.HasColumn($"x{count + 1}") && table.HasColumn($"y{count + 1}")) count++;
        var collector = new ItemCollector<PointsImage>(onBadItem);
        foreach (var row in table.Rows)
        {
            collector.Try(row.Location, () =>
            {
                var points = new Point2[count];
                for (int i = 0; i < count; i++) points[i] = new Point2(Number(row, $"x{i + 1}"), Number(row, $"y{i + 1}"));
                return new PointsImage(ImagePath(folder, row), points, IsValid(table, row), row.Location);
            });
        }
        return collector.Report();
    }

    static string ImagePath(string folder, TableRow row)
    {
        var fname = row["fname"].Trim();
        if (fname.Length == 0) throw new InvalidDataException($"{row.Location}: fname is empty.");
        var path = Path.Combine(folder, fname);
        return File.Exists(path) ? path : throw new InvalidDataException($"{row.Location}: the image '{path}' does not exist.");
    }

    static bool? IsValid(Table table, TableRow row) => table.HasColumn("is_valid") ? PascalCsv.ParseBool(row, "is_valid") : null;

    static float Number(TableRow row, string column) =>
        float.TryParse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v)
            ? v
            : throw new InvalidDataException($"{row.Location}: {column} is '{row[column]}', not a number.");
}
