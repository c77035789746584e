using System.Text.Json;
using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Formats;

/// <summary>COCO keypoint visibility: 0 not labelled (no position), 1 labelled but hidden, 2 labelled and visible.</summary>
public enum KeypointVisibility : byte
{
    /// <summary>Not labelled: the point has no position.</summary>
    NotLabeled = 0,
    /// <summary>Labelled but occluded.</summary>
    Hidden = 1,
    /// <summary>Labelled and visible.</summary>
    Visible = 2,
}

/// <summary>One annotated object: its image, keypoints in pixels (NaN where not labelled) and their visibility.</summary>
public sealed record CocoKeypointItem(
    string ImagePath, int ImageId, long AnnotationId, string Category,
    IReadOnlyList<Point2> Points, IReadOnlyList<KeypointVisibility> Visibility, IReadOnlyList<string> KeypointNames, string Location) : ILocated
{
    /// <summary>Points that carry a position (visibility 1 or 2).</summary>
    public int LabeledCount => Visibility.Count(v => v != KeypointVisibility.NotLabeled);
}

/// <summary>
/// COCO keypoints JSON (<c>images</c>, <c>annotations</c> with <c>keypoints: [x1, y1, v1, …]</c>, <c>categories</c> with
/// <c>keypoints</c> names). Visibility flags are honoured: a point with v = 0 has no position and becomes NaN, so
/// losses and metrics can leave it out; annotations without any labelled point are skipped unless asked for.
/// </summary>
public static class CocoKeypoints
{
    /// <summary>The annotations of <paramref name="annotationsPath"/>, with images in <paramref name="imageFolder"/>;
    /// <paramref name="keepUnlabeled"/> keeps annotations that have no labelled point.</summary>
    public static LoadReport<CocoKeypointItem> Load(string annotationsPath, string imageFolder, bool keepUnlabeled = false, OnBadItem onBadItem = OnBadItem.Throw)
    {
        if (!File.Exists(annotationsPath)) throw new FileNotFoundException($"The COCO annotation file '{annotationsPath}' does not exist.", annotationsPath);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(annotationsPath)); }
        catch (JsonException e) { throw new InvalidDataException($"'{annotationsPath}' is not valid JSON: {e.Message}", e); }
        using var _ = doc;
        var root = doc.RootElement;
        var name = Path.GetFileName(annotationsPath);
        var images = Array(root, "images", name).ToDictionary(i => Int(i, "id", name), i => Str(i, "file_name", name));
        var categories = Array(root, "categories", name).ToDictionary(
            c => Int(c, "id", name),
            c => (Name: Str(c, "name", name), Keypoints: c.TryGetProperty("keypoints", out var k) ? k.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : []));
        var collector = new ItemCollector<CocoKeypointItem>(onBadItem);
        int index = 0;
        foreach (var annotation in Array(root, "annotations", name))
        {
            var location = $"{name} annotation {index++}";
            collector.Try(location, () => Parse(annotation, location, images, categories, imageFolder));
        }
        var report = collector.Report();
        if (keepUnlabeled) return report;
        var labeled = report.Items.Where(i => i.LabeledCount > 0).ToList();
        var skipped = report.Skipped.Concat(report.Items.Where(i => i.LabeledCount == 0).Select(i => new SkippedItem(i.Location, "no labelled keypoint (all visibility flags 0)"))).ToList();
        return new LoadReport<CocoKeypointItem>(labeled, skipped);
    }

    /// <summary>Index pairs (left_x, right_x) by keypoint name, for swapping when an image is flipped horizontally.</summary>
    public static IReadOnlyList<(int Left, int Right)> FlipPairs(IReadOnlyList<string> names)
    {
        var pairs = new List<(int, int)>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!names[i].StartsWith("left_", StringComparison.Ordinal)) continue;
            int j = names.ToList().IndexOf("right_" + names[i]["left_".Length..]);
            if (j >= 0) pairs.Add((i, j));
        }
        return pairs;
    }

    static CocoKeypointItem Parse(JsonElement a, string location, Dictionary<int, string> images, Dictionary<int, (string Name, string[] Keypoints)> categories, string imageFolder)
    {
        int imageId = Int(a, "image_id", location);
        if (!images.TryGetValue(imageId, out var file)) throw new InvalidDataException($"{location}: image_id {imageId} is not in 'images'.");
        int categoryId = Int(a, "category_id", location);
        if (!categories.TryGetValue(categoryId, out var category)) throw new InvalidDataException($"{location}: category_id {categoryId} is not in 'categories'.");
        if (!a.TryGetProperty("keypoints", out var kp) || kp.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{location}: no 'keypoints' array.");
        var values = kp.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        if (values.Length % 3 != 0) throw new InvalidDataException($"{location}: 'keypoints' has {values.Length} numbers, not a multiple of 3 (x, y, v).");
        if (category.Keypoints.Length > 0 && values.Length / 3 != category.Keypoints.Length)
            throw new InvalidDataException($"{location}: {values.Length / 3} keypoints, but category '{category.Name}' names {category.Keypoints.Length}.");
        var points = new Point2[values.Length / 3];
        var visibility = new KeypointVisibility[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            double v = values[3 * i + 2];
            if (v is not (0 or 1 or 2)) throw new InvalidDataException($"{location}: keypoint {i} has visibility {v}; COCO uses 0, 1 or 2.");
            visibility[i] = (KeypointVisibility)(byte)v;
            points[i] = v == 0 ? new Point2(float.NaN, float.NaN) : new Point2((float)values[3 * i], (float)values[3 * i + 1]);
        }
        var path = Path.Combine(imageFolder, file);
        if (!File.Exists(path)) throw new InvalidDataException($"{location}: the image '{path}' does not exist.");
        long id = a.TryGetProperty("id", out var idElement) ? idElement.GetInt64() : -1;
        return new CocoKeypointItem(path, imageId, id, category.Name, points, visibility, category.Keypoints, location);
    }

    static IEnumerable<JsonElement> Array(JsonElement root, string property, string source) =>
        root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new InvalidDataException($"{source}: no '{property}' array.");

    static int Int(JsonElement e, string property, string location) =>
        e.TryGetProperty(property, out var v) && v.TryGetInt32(out var i) ? i : throw new InvalidDataException($"{location}: '{property}' is missing or not an integer.");

    static string Str(JsonElement e, string property, string location) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new InvalidDataException($"{location}: '{property}' is missing or not a string.");
}
