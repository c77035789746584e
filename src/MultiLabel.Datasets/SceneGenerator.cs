using System.Globalization;
using System.Text;

namespace MultiLabel.Datasets;

/// <summary>
/// Multi-label scenes in PASCAL's layout (train.csv with fname,labels,is_valid and images in train/): 0–4 shapes per
/// image from the first <c>classes</c> of <see cref="Shapes.Names"/>, with skewed class frequencies (Zipf-like),
/// random colours, sizes, rotations and overlap, on noisy gradient backgrounds; about 6 % of images have no object.
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
        canvas.Gradient(RandomColor(random, 0.2, 0.9), RandomColor(random, 0.2, 0.9));
        int objects = Pick(random, ObjectCountProbabilities);
        var labels = new SortedSet<string>(StringComparer.Ordinal);
        double unit = Math.Min(width, height);
        for (int o = 0; o < objects; o++)
        {
            int k = Pick(random, weights);
            var name = Shapes.Names[k];
            labels.Add(name);
            double r = unit * (0.12 + random.NextDouble() * 0.16);
            double cx = r * 0.6 + random.NextDouble() * (width - 1.2 * r), cy = r * 0.6 + random.NextDouble() * (height - 1.2 * r);
            double angle = random.NextDouble() * 2 * Math.PI, cos = Math.Cos(angle), sin = Math.Sin(angle);
            var inside = Shapes.Inside(name);
            canvas.Fill((x, y) =>
            {
                double dx = (x - cx) / r, dy = (y - cy) / r;
                return inside(dx * cos + dy * sin, -dx * sin + dy * cos);
            }, RandomColor(random, 0.05, 1.0), cx - 1.5 * r, cy - 1.5 * r, cx + 1.5 * r, cy + 1.5 * r);
        }
        canvas.Noise(random, 0.05f);
        using var image = canvas.ToImage();
        Jpeg.Save(image, path, quality);
        return labels.ToArray();
    }

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
