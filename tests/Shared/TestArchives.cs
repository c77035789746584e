using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MultiLabel.Testing;

/// <summary>
/// Archives in the real published layouts (fastai's <c>pascal_2007.tgz</c>, <c>biwi_head_pose.tgz</c>), made from the
/// repository's bundled datasets, and hostile ones, written with System.Formats.Tar; and the checks a server of them
/// publishes (<c>MULTILABEL_DOWNLOAD_CHECKS</c>).
/// </summary>
static class TestArchives
{
    static string Datasets => System.IO.Path.Combine(RepositoryRoot.Path, "datasets");

    /// <summary><c>pascal_2007/train.csv</c> and <c>pascal_2007/train/*.jpg</c> from the bundled scenes: the first
    /// <paramref name="rows"/> rows, or all.</summary>
    public static byte[] Pascal(int? rows = null, Action<TarWriter>? extra = null) => Tgz(writer =>
    {
        var source = System.IO.Path.Combine(Datasets, "scenes-quick");
        var lines = File.ReadAllLines(System.IO.Path.Combine(source, "train.csv"));
        var kept = lines.Skip(1).Take(rows ?? int.MaxValue).ToList();
        Directory(writer, "pascal_2007/");
        Text(writer, "pascal_2007/train.csv", string.Join("\n", kept.Prepend(lines[0])) + "\n");
        Directory(writer, "pascal_2007/train/");
        foreach (var line in kept)
        {
            var name = line.Split(',')[0];
            writer.WriteEntry(System.IO.Path.Combine(source, "train", name), $"pascal_2007/train/{name}");
        }
        extra?.Invoke(writer);
    });

    /// <summary><c>biwi_head_pose/01..24</c> (each with <c>rgb.cal</c>, frames and poses) and the <c>NN.obj</c> head models
    /// beside them, from the bundled head-pose frames: <paramref name="framesPerPerson"/> frames each, or all.</summary>
    public static byte[] Biwi(int? framesPerPerson = null) => Tgz(writer =>
    {
        var source = System.IO.Path.Combine(Datasets, "headpose-quick");
        Directory(writer, "biwi_head_pose/");
        for (int p = 1; p <= 24; p++)
        {
            var person = p.ToString("00");
            Directory(writer, $"biwi_head_pose/{person}/");
            writer.WriteEntry(System.IO.Path.Combine(source, person, "rgb.cal"), $"biwi_head_pose/{person}/rgb.cal");
            var frames = System.IO.Directory.GetFiles(System.IO.Path.Combine(source, person), "*_rgb.jpg").Order(StringComparer.Ordinal).Take(framesPerPerson ?? int.MaxValue);
            foreach (var frame in frames)
            {
                var pose = frame[..^7] + "pose.txt";
                writer.WriteEntry(frame, $"biwi_head_pose/{person}/{System.IO.Path.GetFileName(frame)}");
                writer.WriteEntry(pose, $"biwi_head_pose/{person}/{System.IO.Path.GetFileName(pose)}");
            }
            Text(writer, $"biwi_head_pose/{person}.obj", "v 0 0 0\n");
        }
    });

    /// <summary>A gzip'd tar written by <paramref name="write"/>.</summary>
    public static byte[] Tgz(Action<TarWriter> write, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            write(writer);
        return buffer.ToArray();
    }

    public static void Directory(TarWriter writer, string name) => writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name));

    public static void Text(TarWriter writer, string name, string text) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });

    /// <summary>fastdownload's <c>path_stats</c> of bytes: the size and the MD5 of the first MiB.</summary>
    public static (long Size, string Md5) Stats(byte[] archive) =>
        (archive.LongLength, Convert.ToHexString(MD5.HashData(archive.AsSpan(0, Math.Min(archive.Length, 1 << 20)))).ToLowerInvariant());

    /// <summary>A checks file in the shape of fastai's <c>download_checks.py</c> for these addresses and archives.</summary>
    public static string ChecksJson(params (Uri Address, byte[] Archive)[] archives) =>
        System.Text.Json.JsonSerializer.Serialize(archives.ToDictionary(a => a.Address.AbsoluteUri, a => new object[] { Stats(a.Archive).Size, Stats(a.Archive).Md5 }));
}
