using System.Globalization;
using System.Text;

namespace MultiLabel.Datasets;

/// <summary>
/// Multi-label scenes in PASCAL's layout (train.csv with fname,labels,is_valid and images in train/): 0–4 shapes per
/// image from the first <c>classes</c> of <see cref="Shapes.Names"/>, with skewed class frequencies (Zipf-like),
/// random sizes and rotations, on noisy gradient backgrounds; about 6 % of images have no object. Every labelled shape is
/// visible: inside the central square (which fastai's validation centre crop keeps), in a colour that stands out from
/// the background behind it, and not hidden under another shape (a shape with no free place is left out, unlabelled).
/// </summary>
static class SceneGenerator
{
    static readonly double[] ObjectCountProbabilities = [0.06, 0.36, 0.30, 0.18, 0.10];

    public static void Write(string root, int count, int width, int height, int classes, int seed, int quality)
    {
        if (classes < 1 || classes > Shapes.Names.Length) throw new ArgumentOutOfRangeException(nameof(classes), $"1..{Shapes.Names.Length} classes");
        Directory.CreateDirectory(Path.Combine(root, "train"));
        var weights = Enumerable.Range(0, classes).Select(k => 1 / Math.Pow(k + 1, 0.8)).ToArray();
        var rows = new (string Fname, string[] Labels, bool IsValid)[count];
        Parallel.For(0, count, i =>
        {
            var random = Jpeg.For(seed, i);
            var fname = $"{i:D6}.jpg";
            var labels = Draw(random, width, height, weights, Path.Combine(root, "train", fname), quality);
            rows[i] = (fname, labels, random.NextDouble() < 0.5);
        });
        // As in PASCAL, every label must occur in training: move the first validation row of a train-less label.
        for (int k = 0; k < classes; k++)
        {
            var name = Shapes.Names[k];
            if (rows.Any(r => !r.IsValid && r.Labels.Contains(name))) continue;
            int i = Array.FindIndex(rows, r => r.Labels.Contains(name));
            if (i >= 0) rows[i].IsValid = false;
        }
        var csv = new StringBuilder("fname,labels,is_valid\n");
        foreach (var r in rows) csv.Append(CultureInfo.InvariantCulture, $"{r.Fname},{string.Join(' ', r.Labels)},{(r.IsValid ? "True" : "False")}\n");
        File.WriteAllText(Path.Combine(root, "train.csv"), csv.ToString());
    }

    static string[] Draw(Random random, int width, int height, double[] weights, string path, int quality)
    {
        var canvas = new Canvas(width, height);
        var (topColor, bottomColor) = (RandomColor(random, 0.2, 0.9), RandomColor(random, 0.2, 0.9));
        canvas.Gradient(topColor, bottomColor);
        int objects = Pick(random, ObjectCountProbabilities);
        var labels = new SortedSet<string>(StringComparer.Ordinal);
        var placed = new List<(double X, double Y, double R)>();
        double unit = Math.Min(width, height);
        for (int o = 0; o < objects; o++)
        {
            int k = Pick(random, weights);
            var name = Shapes.Names[k];
            double r = unit * (0.12 + random.NextDouble() * 0.16);
            // Inside the central square, which the validation centre crop keeps, and not hidden under another shape:
            // what is labelled stays visible, as objects mostly are in PASCAL's photos.
            double left = (width - unit) / 2, top = (height - unit) / 2, cx = 0, cy = 0;
            bool free = false;
            for (int attempt = 0; attempt < 20 && !free; attempt++)
            {
                (cx, cy) = (left + r + random.NextDouble() * (unit - 2 * r), top + r + random.NextDouble() * (unit - 2 * r));
                free = placed.All(p => Math.Sqrt((p.X - cx) * (p.X - cx) + (p.Y - cy) * (p.Y - cy)) > 0.8 * (p.R + r));
            }
            if (!free) continue;
            placed.Add((cx, cy, r));
            labels.Add(name);
            double angle = random.NextDouble() * 2 * Math.PI, cos = Math.Cos(angle), sin = Math.Sin(angle);
            var inside = Shapes.Inside(name);
            // A colour that stands out from the background behind the shape.
            float t = (float)(cy / Math.Max(1, height - 1));
            var behind = (topColor.Item1 + (bottomColor.Item1 - topColor.Item1) * t, topColor.Item2 + (bottomColor.Item2 - topColor.Item2) * t, topColor.Item3 + (bottomColor.Item3 - topColor.Item3) * t);
            var color = RandomColor(random, 0.05, 1.0);
            for (int attempt = 0; attempt < 20 && Distance(color, behind) < 0.45; attempt++) color = RandomColor(random, 0.05, 1.0);
            canvas.Fill((x, y) =>
            {
                double dx = (x - cx) / r, dy = (y - cy) / r;
                return inside(dx * cos + dy * sin, -dx * sin + dy * cos);
            }, color, cx - 1.5 * r, cy - 1.5 * r, cx + 1.5 * r, cy + 1.5 * r);
        }
        canvas.Noise(random, 0.05f);
        using var image = canvas.ToImage();
        Jpeg.Save(image, path, quality);
        return labels.ToArray();
    }

    static double Distance((float, float, float) a, (float, float, float) b) =>
        Math.Sqrt((a.Item1 - b.Item1) * (a.Item1 - b.Item1) + (a.Item2 - b.Item2) * (a.Item2 - b.Item2) + (a.Item3 - b.Item3) * (a.Item3 - b.Item3));

    static (float, float, float) RandomColor(Random random, double low, double high) =>
        ((float)(low + random.NextDouble() * (high - low)), (float)(low + random.NextDouble() * (high - low)), (float)(low + random.NextDouble() * (high - low)));

    static int Pick(Random random, double[] weights)
    {
        double u = random.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }
}
