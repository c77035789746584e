using System.Globalization;
using System.Text;

namespace MultiLabel.Datasets;

/// <summary>
/// Head-pose frames in BIWI's layout: person folders 01..NN with frame_XXXXX_rgb.jpg, frame_XXXXX_pose.txt (rotation
/// rows, a blank line, the head centre X Y Z in mm) and rgb.cal (intrinsics K first). A drawn head moves smoothly in 3-D
/// in front of a per-person background; its centre is exactly where BIWI's projection x = X·fx/Z + cx, y = Y·fy/Z + cy
/// puts it, with BIWI's intrinsics (fx = fy = 517.679, cx = 320, cy = 240.5 at 640×480) scaled to the image width.
/// </summary>
static class HeadPoseGenerator
{
    public static void Write(string root, int persons, int framesPerPerson, int width, int height, int seed, int quality)
    {
        double s = width / 640.0;
        var k = new[,] { { 517.679 * s, 0, 320 * s }, { 0, 517.679 * s, 240.5 * s }, { 0, 0, 1 } };
        Parallel.For(1, persons + 1, person =>
        {
            var folder = Path.Combine(root, person.ToString("D2"));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "rgb.cal"), Calibration(k));
            var look = Jpeg.For(seed, person * 1000);
            var skin = (0.55f + (float)look.NextDouble() * 0.4f, 0.4f + (float)look.NextDouble() * 0.3f, 0.3f + (float)look.NextDouble() * 0.25f);
            var hair = ((float)look.NextDouble() * 0.4f, (float)look.NextDouble() * 0.3f, (float)look.NextDouble() * 0.2f);
            var wallTop = ((float)look.NextDouble(), (float)look.NextDouble(), (float)look.NextDouble());
            var wallBottom = ((float)look.NextDouble(), (float)look.NextDouble(), (float)look.NextDouble());
            double x0 = -150 + look.NextDouble() * 300, y0 = -70 + look.NextDouble() * 110, z0 = 850 + look.NextDouble() * 250, phase = look.NextDouble() * 6;
            for (int f = 0; f < framesPerPerson; f++)
            {
                var random = Jpeg.For(seed, person * 100_000 + f);
                double t = phase + 2 * Math.PI * f / Math.Max(8, framesPerPerson / 3.0);
                double x = x0 + 170 * Math.Sin(t), y = y0 + 90 * Math.Cos(1.3 * t), z = z0 + 120 * Math.Sin(0.7 * t);
                double yaw = 0.6 * Math.Sin(0.9 * t + 1), pitch = 0.3 * Math.Sin(1.1 * t);
                string stem = $"frame_{f + 3:D5}";
                DrawFrame(Path.Combine(folder, stem + "_rgb.jpg"), width, height, k, x, y, z, yaw, pitch, skin, hair, wallTop, wallBottom, random, quality);
                File.WriteAllText(Path.Combine(folder, stem + "_pose.txt"), Pose(yaw, pitch, x, y, z));
            }
        });
    }

    static void DrawFrame(string path, int width, int height, double[,] k, double x, double y, double z, double yaw, double pitch,
        (float, float, float) skin, (float, float, float) hair, (float, float, float) top, (float, float, float) bottom, Random random, int quality)
    {
        var canvas = new Canvas(width, height);
        canvas.Gradient(top, bottom);
        double cx = x * k[0, 0] / z + k[0, 2], cy = y * k[1, 1] / z + k[1, 2];
        double rx = 85 * k[0, 0] / z, ry = 105 * k[1, 1] / z;
        // shoulders, head, hair cap, then eyes and nose shifted by the head's rotation
        canvas.Fill((px, py) => Sq((px - cx) / (2.6 * rx)) + Sq((py - (cy + 2.3 * ry)) / (1.3 * ry)) <= 1, (0.15f, 0.2f, 0.3f), cx - 3 * rx, cy + ry, cx + 3 * rx, cy + 4 * ry);
        canvas.Fill((px, py) => Sq((px - cx) / rx) + Sq((py - cy) / ry) <= 1, skin, cx - rx, cy - ry, cx + rx, cy + ry);
        canvas.Fill((px, py) => Sq((px - cx) / (1.04 * rx)) + Sq((py - cy) / (1.04 * ry)) <= 1 && py < cy - 0.45 * ry + 0.2 * ry * Math.Sin(yaw) * (px - cx) / rx,
            hair, cx - 1.1 * rx, cy - 1.1 * ry, cx + 1.1 * rx, cy);
        double shift = 0.55 * Math.Sin(yaw) * rx, lift = 0.4 * Math.Sin(pitch) * ry;
        foreach (double side in new[] { -0.38, 0.38 })
        {
            double ex = cx + side * rx * Math.Cos(yaw) + shift, ey = cy - 0.12 * ry - lift;
            canvas.Fill((px, py) => Sq((px - ex) / (0.13 * rx)) + Sq((py - ey) / (0.08 * ry)) <= 1, (0.05f, 0.05f, 0.08f), ex - rx, ey - ry, ex + rx, ey + ry);
        }
        double nx = cx + 1.2 * shift, ny = cy + 0.15 * ry - lift;
        canvas.Fill((px, py) => Sq((px - nx) / (0.1 * rx)) + Sq((py - ny) / (0.16 * ry)) <= 1, (0.6f * skin.Item1, 0.55f * skin.Item2, 0.5f * skin.Item3), nx - rx, ny - ry, nx + rx, ny + ry);
        canvas.Noise(random, 0.04f);
        using var image = canvas.ToImage();
        Jpeg.Save(image, path, quality);
    }

    static double Sq(double v) => v * v;

    static string Calibration(double[,] k)
    {
        var text = new StringBuilder();
        for (int r = 0; r < 3; r++) text.AppendLine(string.Join(" ", Enumerable.Range(0, 3).Select(c => k[r, c].ToString("0.######", CultureInfo.InvariantCulture))) + " ");
        text.AppendLine().AppendLine("0 0 0 0 ").AppendLine();
        text.AppendLine("1 0 0 ").AppendLine("0 1 0 ").AppendLine("0 0 1 ").AppendLine().AppendLine("0 0 0 ");
        return text.ToString();
    }

    static string Pose(double yaw, double pitch, double x, double y, double z)
    {
        double cy = Math.Cos(yaw), sy = Math.Sin(yaw), cp = Math.Cos(pitch), sp = Math.Sin(pitch);
        double[,] r = { { cy, sy * sp, sy * cp }, { 0, cp, -sp }, { -sy, cy * sp, cy * cp } };
        var text = new StringBuilder();
        for (int i = 0; i < 3; i++) text.AppendLine(string.Join(" ", Enumerable.Range(0, 3).Select(j => r[i, j].ToString("0.######", CultureInfo.InvariantCulture))) + " ");
        text.AppendLine().AppendLine(string.Join(" ", new[] { x, y, z }.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))) + " ");
        return text.ToString();
    }
}
