using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MultiLabel.Datasets;

/// <summary>
/// Multi-label mosaics of real Fashion-MNIST items (Debian's dataset-fashion-mnist, MIT licence; IDX files): a 2×2 grid
/// with 0–4 items, labelled with the items' classes, written as greyscale JPEGs in PASCAL's layout.
/// </summary>
static class FashionMosaicGenerator
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
    static readonly string[] ClassNames = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"];
    static readonly double[] ItemCountProbabilities = [0.05, 0.3, 0.3, 0.2, 0.15];

    public static bool Available(string folder) => File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz"));

    public static void Write(string root, string idxFolder, int count, int size, int seed, int quality)
    {
        var images = ReadImages(Path.Combine(idxFolder, "train-images-idx3-ubyte.gz"));
        var labels = ReadLabels(Path.Combine(idxFolder, "train-labels-idx1-ubyte.gz"));
        Directory.CreateDirectory(Path.Combine(root, "train"));
        var rows = new string[count];
        Parallel.For(0, count, i =>
        {
            var random = Jpeg.For(seed, i);
            int n = Pick(random);
            var cells = Enumerable.Range(0, 4).OrderBy(_ => random.Next()).Take(n).ToArray();
            var names = new SortedSet<string>(StringComparer.Ordinal);
            using var canvas = new Image<L8>(size, size);
            int cell = size / 2;
            foreach (var c in cells)
            {
                int item = random.Next(images.Length);
                names.Add(ClassNames[labels[item]]);
                using var piece = Image.LoadPixelData<L8>(images[item], 28, 28);
                int side = (int)(cell * (0.8 + random.NextDouble() * 0.2));
                piece.Mutate(m => m.Resize(side, side));
                int ox = (c % 2) * cell + random.Next(cell - side + 1), oy = (c / 2) * cell + random.Next(cell - side + 1);
                canvas.Mutate(m => m.DrawImage(piece, new Point(ox, oy), PixelColorBlendingMode.Lighten, 1f));
            }
            var fname = $"{i:D6}.jpg";
            Jpeg.Save(canvas, Path.Combine(root, "train", fname), quality);
            rows[i] = $"{fname},{string.Join(' ', names)},{(random.NextDouble() < 0.3 ? "True" : "False")}";
        });
        File.WriteAllText(Path.Combine(root, "train.csv"), "fname,labels,is_valid\n" + string.Join("\n", rows) + "\n");
    }

    static int Pick(Random random)
    {
        double u = random.NextDouble();
        for (int i = 0; i < ItemCountProbabilities.Length; i++) { u -= ItemCountProbabilities[i]; if (u < 0) return i; }
        return 4;
    }

    static byte[][] ReadImages(string path)
    {
        using var reader = new BinaryReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        if (BigEndian(reader) != 2051) throw new InvalidDataException($"'{path}' is not an IDX image file (magic 2051).");
        int n = BigEndian(reader), rows = BigEndian(reader), cols = BigEndian(reader);
        return Enumerable.Range(0, n).Select(_ => reader.ReadBytes(rows * cols)).ToArray();
    }

    static byte[] ReadLabels(string path)
    {
        using var reader = new BinaryReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        if (BigEndian(reader) != 2049) throw new InvalidDataException($"'{path}' is not an IDX label file (magic 2049).");
        int n = BigEndian(reader);
        return reader.ReadBytes(n);
    }

    static int BigEndian(BinaryReader reader) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));
}
