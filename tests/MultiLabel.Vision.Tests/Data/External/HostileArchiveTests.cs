using System.Formats.Tar;
using System.IO.Compression;
using MultiLabel.Vision.Data.External;
using MultiLabel.Vision.Downloads;
using Xunit;

namespace MultiLabel.Vision.Tests.Data.External;

/// <summary>Archives from elsewhere are data: each hostile kind is refused whole with the entry named, and nothing appears
/// outside the destination (the sandbox around FASTAI_HOME is listed before and after).</summary>
[Collection(FastaiHomeCollection.Name)]
public sealed class HostileArchiveTests : IsolatedFastaiHome
{
    static void Pascal(TarWriter w)
    {
        TestArchives.Text(w, "pascal_2007/train.csv", "fname,labels,is_valid\n");
        TestArchives.Directory(w, "pascal_2007/train/");
    }

    public static TheoryData<string, string, string> Kinds => new()
    {
        { "dot-dot", "pascal_2007/../../../escaped.txt", "climbs out of the destination with .." },
        { "absolute", "/tmp/multilabel-absolute-escape.txt", "is an absolute path" },
        { "symlink-out", "pascal_2007/link", "links to ../../../../escaped.txt, outside the destination" },
        { "symlink-absolute", "pascal_2007/abs", "links to the absolute path /etc/passwd" },
        { "hardlink-out", "pascal_2007/hard", "links to ../outside.txt, outside the destination" },
        { "char-device", "pascal_2007/null", "is a device" },
        { "block-device", "pascal_2007/disk", "is a device" },
        { "fifo", "pascal_2007/pipe", "is a FIFO" },
    };

    static byte[] Hostile(string kind) => TestArchives.Tgz(w =>
    {
        Pascal(w);
        TarEntry entry = kind switch
        {
            "dot-dot" => new PaxTarEntry(TarEntryType.RegularFile, "pascal_2007/../../../escaped.txt") { DataStream = new MemoryStream([1, 2, 3]) },
            "absolute" => new PaxTarEntry(TarEntryType.RegularFile, "/tmp/multilabel-absolute-escape.txt") { DataStream = new MemoryStream([1, 2, 3]) },
            "symlink-out" => new PaxTarEntry(TarEntryType.SymbolicLink, "pascal_2007/link") { LinkName = "../../../../escaped.txt" },
            "symlink-absolute" => new PaxTarEntry(TarEntryType.SymbolicLink, "pascal_2007/abs") { LinkName = "/etc/passwd" },
            "hardlink-out" => new PaxTarEntry(TarEntryType.HardLink, "pascal_2007/hard") { LinkName = "../outside.txt" },
            "char-device" => new PaxTarEntry(TarEntryType.CharacterDevice, "pascal_2007/null") { DeviceMajor = 1, DeviceMinor = 3 },
            "block-device" => new PaxTarEntry(TarEntryType.BlockDevice, "pascal_2007/disk") { DeviceMajor = 8, DeviceMinor = 0 },
            "fifo" => new PaxTarEntry(TarEntryType.Fifo, "pascal_2007/pipe"),
            _ => throw new ArgumentException(kind),
        };
        w.WriteEntry(entry);
        // An entry after the hostile one, to show that the archive is refused whole.
        TestArchives.Text(w, "pascal_2007/train/after.jpg", "x");
    });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_hostile_entry_refuses_the_whole_archive_naming_it_and_nothing_lands_outside(string kind, string entry, string reason)
    {
        var archive = Hostile(kind);
        Directory.CreateDirectory(ArchiveFolder);
        File.WriteAllBytes(Path.Combine(ArchiveFolder, "pascal_2007.tgz"), archive);
        var before = Everything();
        var stats = TestArchives.Stats(archive);

        var error = Assert.Throws<UnsafeArchiveException>(() =>
            ExternalData.UntarData(Urls.Pascal2007 with { Check = DownloadCheck.SizeAndMd5(stats.Size, stats.Md5) }));

        Assert.Equal(entry, error.Entry);
        Assert.Equal($"Refused to extract {Path.Combine(ArchiveFolder, "pascal_2007.tgz")}: the entry '{entry}' {reason}. Nothing was extracted.", error.Message);
        var after = Everything().Except(before).ToList();
        // Only fastai's own files appeared (its config.ini, the lock, the data folder): nothing beside FASTAI_HOME.
        Assert.Equal([Path.Combine("fastai", "archive", "pascal_2007.tgz.lock"), Path.Combine("fastai", "config.ini"), Path.Combine("fastai", "data")], after);
        Assert.Empty(Directory.GetFileSystemEntries(DataFolder)); // no partial folder either
        Assert.False(File.Exists("/tmp/multilabel-absolute-escape.txt"));
    }

    [Fact]
    public void A_link_to_a_file_inside_becomes_a_copy_and_no_link_is_created()
    {
        var archive = sandbox.File("links.tgz");
        File.WriteAllBytes(archive, TestArchives.Tgz(w =>
        {
            TestArchives.Text(w, "d/a.txt", "hello");
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d/sub/b.txt") { LinkName = "../a.txt" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "d/c.txt") { LinkName = "d/a.txt" });
        }));
        var destination = Path.Combine(sandbox.Path, "out");

        SafeTar.Extract(archive, destination, ExtractionLimits.ForArchiveOf(1000));

        foreach (var name in new[] { "d/a.txt", "d/sub/b.txt", "d/c.txt" })
        {
            var info = new FileInfo(Path.Combine(destination, name));
            Assert.Equal("hello", File.ReadAllText(info.FullName));
            Assert.Null(info.LinkTarget);
        }
    }

    [Fact]
    public void More_bytes_than_the_limit_allows_refuses_the_archive()
    {
        var archive = sandbox.File("bomb.tgz");
        File.WriteAllBytes(archive, TestArchives.Tgz(w =>
        {
            for (int i = 0; i < 3; i++)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"bomb/zeros{i}") { DataStream = new MemoryStream(new byte[1 << 20]) });
        }, CompressionLevel.SmallestSize));
        Assert.True(new FileInfo(archive).Length < 20_000); // 3 MiB of zeros in a few kB

        var error = Assert.Throws<UnsafeArchiveException>(() => SafeTar.Extract(archive, sandbox.File("out"), new ExtractionLimits(2_500_000, 100)));

        Assert.Equal("bomb/zeros2", error.Entry);
        Assert.Contains("past the limit of 2,500,000 bytes", error.Message);
        // The limit from the archive's size allows about four times the archive (and 64 MiB at least).
        Assert.Equal(new ExtractionLimits(64L << 20, 1_000_000), ExtractionLimits.ForArchiveOf(20_000));
        Assert.Equal(4 * 1_637_796_771L, ExtractionLimits.ForArchiveOf(1_637_796_771).MaxBytes);
    }

    [Fact]
    public void More_entries_than_the_limit_allows_refuses_the_archive()
    {
        var archive = sandbox.File("many.tgz");
        File.WriteAllBytes(archive, TestArchives.Tgz(w =>
        {
            for (int i = 0; i < 50; i++) TestArchives.Directory(w, $"many/{i}/");
        }));

        var error = Assert.Throws<UnsafeArchiveException>(() => SafeTar.Extract(archive, sandbox.File("out"), new ExtractionLimits(1 << 20, 20)));

        Assert.Equal("many/20/", error.Entry);
        Assert.Contains("past the limit of 20 entries", error.Message);
    }

    [Fact]
    public void A_truncated_archive_is_an_error_naming_it()
    {
        var whole = TestArchives.Pascal(rows: 20);
        var archive = sandbox.File("cut.tgz");
        File.WriteAllBytes(archive, whole[..(whole.Length / 2)]);

        var error = Assert.ThrowsAny<Exception>(() => SafeTar.Extract(archive, sandbox.File("out"), ExtractionLimits.ForArchiveOf(whole.Length)));

        Assert.True(error is InvalidDataException or IOException, error.ToString());
        Assert.Contains(archive, error.Message);
    }
}
