using System.Globalization;
using MultiLabel.Vision.Imaging;

namespace MultiLabel.Vision.Data.Formats;

/// <summary>One BIWI frame: the RGB image, its pose file, the person's folder, and the head centre in pixels.</summary>
public sealed record BiwiFrame(string ImagePath, string PosePath, string Person, Point2 Center, string Location) : ILocated;

/// <summary>
/// The BIWI head-pose layout: person folders <c>01</c>..<c>24</c> with <c>frame_XXXXX_rgb.jpg</c> and
/// <c>frame_XXXXX_pose.txt</c> (3 rows of rotation, a blank line, the head centre X Y Z in mm), and <c>rgb.cal</c>
/// whose first three rows are the camera intrinsics K. As in the chapter, K is read from folder 01 for every frame and
/// the centre is projected with x = X·K[0][0]/Z + K[0][2], y = Y·K[1][1]/Z + K[1][2].
/// </summary>
public static class BiwiHeadPose
{
    /// <summary>The chapter's validation person: one never seen in training.</summary>
    public const string DefaultValidPerson = "13";

    /// <summary>Every frame under <paramref name="root"/> with its projected head centre, the camera read from
    /// <paramref name="calibrationPerson"/>'s <c>rgb.cal</c>; a bad frame throws or is skipped and reported, as
    /// <paramref name="onBadItem"/> says.</summary>
    public static LoadReport<BiwiFrame> Load(string root, string calibrationPerson = "01", OnBadItem onBadItem = OnBadItem.Throw)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The BIWI folder '{root}' does not exist.");
        var k = ReadIntrinsics(Path.Combine(root, calibrationPerson, "rgb.cal"));
        var collector = new ItemCollector<BiwiFrame>(onBadItem);
        var people = Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n!.Length > 0 && n.All(char.IsAsciiDigit)).Order(StringComparer.Ordinal);
        foreach (var person in people)
        {
            foreach (var image in Directory.GetFiles(Path.Combine(root, person!), "*_rgb.jpg").Order(StringComparer.Ordinal))
            {
                var pose = PoseFileFor(image);
                collector.Try(image, () => new BiwiFrame(image, pose, person!, ProjectCenter(ReadCenter(pose), k), image));
            }
        }
        if (collector.Report() is { Items.Count: 0, Skipped.Count: 0 })
            throw new InvalidDataException($"'{root}' holds no BIWI frames (expected folders 01..24 with frame_XXXXX_rgb.jpg files).");
        return collector.Report();
    }

    /// <summary>frame_00003_rgb.jpg → frame_00003_pose.txt (the chapter's img2pose).</summary>
    public static string PoseFileFor(string imagePath) =>
        Path.Combine(Path.GetDirectoryName(imagePath)!, Path.GetFileName(imagePath)[..^"_rgb.jpg".Length] + "_pose.txt");

    /// <summary>The 3×3 intrinsics from the first three rows of an rgb.cal file.</summary>
    public static double[,] ReadIntrinsics(string calibrationPath)
    {
        var rows = NumericRows(calibrationPath);
        if (rows.Count < 3 || rows.Take(3).Any(r => r.Length != 3))
            throw new InvalidDataException($"'{calibrationPath}': the first three rows must hold three numbers each (the intrinsics K).");
        var k = new double[3, 3];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) k[r, c] = rows[r][c];
        if (k[0, 0] <= 0 || k[1, 1] <= 0) throw new InvalidDataException($"'{calibrationPath}': focal lengths K[0][0]={k[0, 0]} and K[1][1]={k[1, 1]} must be positive.");
        return k;
    }

    /// <summary>The head centre (X, Y, Z in mm): the row after the three rotation rows of a pose file.</summary>
    public static (double X, double Y, double Z) ReadCenter(string posePath)
    {
        var rows = NumericRows(posePath);
        if (rows.Count < 4 || rows[3].Length != 3)
            throw new InvalidDataException($"'{posePath}': expected 3 rotation rows, a blank line and the centre 'X Y Z'; found {rows.Count} numeric rows.");
        var (x, y, z) = (rows[3][0], rows[3][1], rows[3][2]);
        if (z <= 0) throw new InvalidDataException($"'{posePath}': the centre's depth Z is {z}; it must be positive (in front of the camera).");
        return (x, y, z);
    }

    /// <summary>The pixel where a 3-D centre (mm, camera coordinates) lands through the intrinsics <paramref name="k"/>.</summary>
    public static Point2 ProjectCenter((double X, double Y, double Z) center, double[,] k) =>
        new((float)(center.X * k[0, 0] / center.Z + k[0, 2]), (float)(center.Y * k[1, 1] / center.Z + k[1, 2]));

    static List<double[]> NumericRows(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"'{path}' does not exist.");
        var rows = new List<double[]>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            var values = new double[fields.Length];
            for (int i = 0; i < fields.Length; i++)
                if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                    throw new InvalidDataException($"'{path}' line {line}: '{fields[i]}' is not a number.");
            rows.Add(values);
        }
        return rows;
    }
}
