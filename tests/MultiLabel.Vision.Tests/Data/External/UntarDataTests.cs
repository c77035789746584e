using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.External;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Downloads;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Transforms;
using Xunit;
using static MultiLabel.Vision.Data.External.ExternalData;

namespace MultiLabel.Vision.Tests.Data.External;

/// <summary>fastai's untar_data against a real HTTP server on 127.0.0.1 serving archives in the published layouts, made
/// from the bundled data and registered with their own checks.</summary>
[Collection(FastaiHomeCollection.Name)]
public sealed class UntarDataTests : IsolatedFastaiHome
{
    static readonly byte[] PascalTgz = TestArchives.Pascal(rows: 200);
    static readonly byte[] BiwiTgz = TestArchives.Biwi(framesPerPerson: 2);

    static DataArchive Served(DataArchive real, LocalHttpServer server, byte[] archive) =>
        real with { Address = new Uri(server.Root, real.FileName), Check = DownloadCheck.SizeAndMd5(TestArchives.Stats(archive).Size, TestArchives.Stats(archive).Md5) };

    static LocalHttpServer Serving(byte[] archive) => new((_, response) => LocalHttpServer.Send(response, archive), "data");

    [Fact]
    public void PASCAL_is_downloaded_checked_and_extracted_where_fastai_puts_it_and_trains_a_batch()
    {
        using var server = Serving(PascalTgz);
        var archive = Served(Urls.Pascal2007, server, PascalTgz);
        var reports = new List<(long, long?)>();
        Downloader.DefaultProgress = _ => new Reports(reports.Add);
        try
        {
            var path = UntarData(archive);

            Assert.Equal(Path.Combine(DataFolder, "pascal_2007"), path);
            Assert.Equal(PascalTgz, File.ReadAllBytes(Path.Combine(ArchiveFolder, "pascal_2007.tgz")));
            Assert.Equal("[DEFAULT]\ndata = data\narchive = archive\nstorage = tmp\nmodel = models\n\n", File.ReadAllText(Path.Combine(Home, "config.ini")));
            Assert.Equal((PascalTgz.LongLength, (long?)PascalTgz.LongLength), reports[^1]);
            Assert.Equal(200, Directory.GetFiles(Path.Combine(path, "train")).Length);
            Assert.DoesNotContain(Everything(), e => e.EndsWith(".tmp", StringComparison.Ordinal) || e.Contains(".extracting", StringComparison.Ordinal));

            // The chapter's DataBlock on what was extracted, and one batch.
            var table = Vision.Data.Tables.Table.ReadCsv(Path.Combine(path, "train.csv"));
            var dls = new DataBlock<Vision.Data.Tables.TableRow>(blocks: (new ImageBlock(), new MultiCategoryBlock()),
                splitter: Splitters.ColSplitter("is_valid"), getX: r => Path.Combine(path, "train", r["fname"]), getY: r => r["labels"].Split(' '),
                itemTfms: [new RandomResizedCrop(32, minScale: 0.35)]).DataLoaders(table.Rows, batchSize: 8, seed: 1);
            var batch = dls.OneBatch();
            Assert.Equal([8L, 3, 32, 32], batch.X.shape);
            Assert.Equal(dls.Vocab!.Count, (int)batch.Y.shape[1]);

            // Again: no request, the same folder.
            Assert.Equal(path, UntarData(archive));
            Assert.Equal(1, server.Requests);
        }
        finally
        {
            Downloader.DefaultProgress = null;
        }
    }

    [Fact]
    public void BIWI_is_extracted_with_its_obj_files_beside_the_folders_which_get_image_files_ignores()
    {
        using var server = Serving(BiwiTgz);

        var path = UntarData(Served(Urls.BiwiHeadPose, server, BiwiTgz));

        Assert.Equal(Path.Combine(DataFolder, "biwi_head_pose"), path);
        Assert.True(File.Exists(Path.Combine(path, "13.obj")));
        var files = ImageFiles.Get(path);
        Assert.Equal(48, files.Count);
        Assert.All(files, f => Assert.EndsWith("_rgb.jpg", f));
        var centers = BiwiHeadPose.Load(path).Items.ToDictionary(i => i.ImagePath, i => i.Center);
        Assert.Equal(48, centers.Count);
        var dls = new DataBlock<string>(blocks: (new ImageBlock(), new PointBlock()), getX: f => f,
            getY: f => new[] { centers[f] }, splitter: Splitters.FuncSplitter<string>(o => ImageFiles.ParentLabel(o) == "13"),
            batchTfms: [new AugTransforms(size: (30, 40))]).DataLoaders(files, batchSize: 4, seed: 1);
        Assert.Equal([4L, 3, 30, 40], dls.OneBatch().X.shape);
    }

    [Fact]
    public void A_folder_fastai_already_extracted_is_used_as_it_is_without_the_network()
    {
        // fastai's config.ini moving the data elsewhere, and the folder already there.
        var elsewhere = Path.Combine(sandbox.Path, "elsewhere");
        Directory.CreateDirectory(Home);
        File.WriteAllText(Path.Combine(Home, "config.ini"), $"[DEFAULT]\ndata = {elsewhere}\narchive = archive\nstorage = tmp\nmodel = models\nversion = 2\n\n");
        var extracted = Path.Combine(elsewhere, "pascal_2007");
        Directory.CreateDirectory(Path.Combine(extracted, "train"));
        File.WriteAllText(Path.Combine(extracted, "train.csv"), "fname,labels,is_valid\n");
        using var server = Serving(PascalTgz);

        Assert.Equal(extracted, UntarData(Served(Urls.Pascal2007, server, PascalTgz)));
        Assert.Equal(extracted, UntarData(Urls.Pascal2007)); // fastai's own address: no request either
        Assert.Equal(0, server.Requests);
        Assert.False(Directory.Exists(ArchiveFolder));
    }

    [Fact]
    public void An_incomplete_folder_in_the_cache_is_named_with_what_it_lacks()
    {
        Directory.CreateDirectory(Path.Combine(DataFolder, "biwi_head_pose", "01"));

        var error = Assert.Throws<InvalidDataException>(() => UntarData(Urls.BiwiHeadPose));

        Assert.Contains(Path.Combine(DataFolder, "biwi_head_pose"), error.Message);
        Assert.Contains("01/rgb.cal is missing", error.Message);
        Assert.Contains("force: true", error.Message);
    }

    [Fact]
    public void An_archive_whose_MD5_differs_is_refused_naming_address_file_expected_and_found_and_nothing_is_kept()
    {
        var other = PascalTgz.ToArray();
        other[100] ^= 0xFF;
        using var server = Serving(other);
        var archive = Served(Urls.Pascal2007, server, PascalTgz);

        var error = Assert.Throws<DataDownloadException>(() => UntarData(archive));

        Assert.Contains(archive.Address.AbsoluteUri, error.Message);
        Assert.Contains("pascal_2007.tgz", error.Message);
        Assert.Contains($"expected {TestArchives.Stats(PascalTgz).Md5}", error.Message);
        Assert.Contains($"is {TestArchives.Stats(other).Md5}", error.Message);
        Assert.Empty(ArchiveFiles());
        Assert.False(Directory.Exists(Path.Combine(DataFolder, "pascal_2007")));
    }

    [Fact]
    public void An_archive_of_another_size_is_refused_before_its_body_is_read()
    {
        using var server = Serving(PascalTgz[..^10]);

        var error = Assert.Throws<DataDownloadException>(() => UntarData(Served(Urls.Pascal2007, server, PascalTgz)));

        Assert.Contains($"the server announced {PascalTgz.Length - 10:N0} bytes, expected {PascalTgz.Length:N0}", error.Message);
        Assert.Empty(ArchiveFiles());
    }

    [Fact]
    public void A_body_cut_short_is_refused_and_not_kept()
    {
        using var server = new LocalHttpServer((_, response) =>
        {
            response.ContentLength64 = PascalTgz.Length;
            response.OutputStream.Write(PascalTgz, 0, PascalTgz.Length / 2);
            response.Abort();
        }, "data");

        var error = Assert.Throws<DataDownloadException>(() => UntarData(Served(Urls.Pascal2007, server, PascalTgz)));

        Assert.Contains("Could not download PASCAL_2007", error.Message);
        Assert.Empty(ArchiveFiles());
        Assert.DoesNotContain(Everything(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_archive_reports_the_servers_answer()
    {
        using var server = new LocalHttpServer((_, response) => { response.StatusCode = 404; response.Close(); }, "data");

        var error = Assert.Throws<DataDownloadException>(() => UntarData(Served(Urls.Pascal2007, server, PascalTgz)));

        Assert.Contains("the server answered 404", error.Message);
        Assert.Empty(ArchiveFiles());
    }

    [Fact]
    public void Offline_is_one_clear_message_naming_the_address_where_to_copy_the_archive_and_which_folder_to_point_at()
    {
        var refused = new Uri($"http://127.0.0.1:{LocalHttpServer.FreePort()}/data/pascal_2007.tgz");
        var started = DateTime.UtcNow;

        var error = Assert.Throws<DataDownloadException>(() => UntarData(Urls.Pascal2007 with { Address = refused }));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.StartsWith($"Could not download PASCAL_2007 from {refused}: ", error.Message);
        Assert.Contains($"copy pascal_2007.tgz, 1,637,796,771 bytes into {ArchiveFolder}/", error.Message);
        Assert.Contains($"or put the extracted folder at {Path.Combine(DataFolder, "pascal_2007")}", error.Message);
        Assert.Empty(ArchiveFiles());
    }

    [Fact]
    public void The_bundled_stand_in_is_used_with_one_line_saying_why_when_the_archive_cannot_be_had()
    {
        Set(ExternalData.MirrorVariable, $"http://127.0.0.1:{LocalHttpServer.FreePort()}/data/");
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(RepositoryRoot.Path);
        try
        {
            var path = UntarData(Urls.Pascal2007, orBundled: "scenes-quick");

            Assert.Equal(Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick"), path);
            var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"Using the bundled stand-in {path}, as PASCAL_2007 could not be had: Could not download PASCAL_2007", line);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [Fact]
    public void A_mirror_and_a_checks_file_serve_fastais_names_with_their_own_checks()
    {
        using var server = Serving(BiwiTgz);
        var checks = sandbox.File("checks.json");
        File.WriteAllText(checks, TestArchives.ChecksJson((Urls.BiwiHeadPose.Address, BiwiTgz)));
        Set(ExternalData.MirrorVariable, server.Root.ToString());
        Set("MULTILABEL_DOWNLOAD_CHECKS", checks);

        var path = UntarData(Urls.BiwiHeadPose);

        Assert.Equal(Path.Combine(DataFolder, "biwi_head_pose"), path);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void An_archive_already_in_the_archive_folder_is_checked_and_extracted_without_the_network_and_a_stale_one_is_replaced()
    {
        using var server = Serving(PascalTgz);
        var archive = Served(Urls.Pascal2007, server, PascalTgz);
        Directory.CreateDirectory(ArchiveFolder);
        File.WriteAllBytes(Path.Combine(ArchiveFolder, "pascal_2007.tgz"), PascalTgz);

        var path = UntarData(archive);
        Assert.Equal(0, server.Requests);

        // A stale archive (another version) is downloaded again, as fastdownload does.
        Directory.Delete(path, recursive: true);
        File.WriteAllBytes(Path.Combine(ArchiveFolder, "pascal_2007.tgz"), TestArchives.Pascal(rows: 10));
        Assert.Equal(path, UntarData(archive));
        Assert.Equal(1, server.Requests);
        Assert.Contains("downloading a new version of this dataset", log.ToString());
        Assert.Equal(200, Directory.GetFiles(Path.Combine(path, "train")).Length);
    }

    [Fact]
    public void An_archive_without_the_expected_layout_is_refused_and_no_folder_takes_its_name()
    {
        var wrong = TestArchives.Tgz(w => TestArchives.Text(w, "pascal_2007/readme.txt", "not the data"));
        using var server = Serving(wrong);

        var error = Assert.Throws<InvalidDataException>(() => UntarData(Served(Urls.Pascal2007, server, wrong)));

        Assert.Contains("does not hold PASCAL_2007 as expected (train.csv and train/): train.csv is missing", error.Message);
        Assert.False(Directory.Exists(Path.Combine(DataFolder, "pascal_2007")));
        Assert.Empty(Directory.GetFileSystemEntries(DataFolder));
    }

    [Fact]
    public void An_extraction_killed_half_way_is_not_taken_for_complete_and_is_cleaned_up_next_time()
    {
        // What a killed extraction leaves: a staging folder beside the destination, never the destination itself.
        Directory.CreateDirectory(ArchiveFolder);
        File.WriteAllBytes(Path.Combine(ArchiveFolder, "pascal_2007.tgz"), PascalTgz);
        var left = Path.Combine(DataFolder, ".pascal_2007.999999.0123456789abcdef.extracting", "pascal_2007", "train");
        Directory.CreateDirectory(left);
        File.WriteAllText(Path.Combine(left, "000000.jpg"), "half");
        using var server = Serving(PascalTgz);

        var path = UntarData(Served(Urls.Pascal2007, server, PascalTgz));

        Assert.Equal(200, Directory.GetFiles(Path.Combine(path, "train")).Length);
        Assert.Equal(["pascal_2007"], Directory.GetFileSystemEntries(DataFolder).Select(Path.GetFileName));
    }

    sealed class Reports(Action<(long, long?)> report) : IProgress<(long Done, long? Total)>
    {
        public void Report((long Done, long? Total) value) => report(value);
    }
}

/// <summary>The chapter's small helpers around its data: path.ls() and im.to_thumb(160).</summary>
public sealed class ChapterHelpersTests
{
    [Fact]
    public void Ls_lists_a_folder_as_path_ls_does_in_a_stable_order()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "b.txt", "01.obj", "a" }) if (name == "a") Directory.CreateDirectory(folder.File(name)); else File.WriteAllText(folder.File(name), "");

        Assert.Equal([folder.File("01.obj"), folder.File("a"), folder.File("b.txt")], Ls(folder.Path));
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => Ls(folder.File("missing"))).Message);
    }

    [Fact]
    public void To_thumb_keeps_the_aspect_ratio_within_the_size_and_leaves_small_images_alone()
    {
        var pixels = new byte[640 * 480 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 251);
        var im = new RgbImage(640, 480, pixels);

        var thumb = im.ToThumb(160);
        Assert.Equal((160, 120), (thumb.Width, thumb.Height));
        var small = new RgbImage(80, 60, pixels[..(80 * 60 * 3)]);
        Assert.Equal(small.Pixels, small.ToThumb(160).Pixels);
        Assert.Equal((60, 80), (new RgbImage(480, 640, pixels).ToThumb(80).Width, new RgbImage(480, 640, pixels).ToThumb(80).Height));
    }
}
