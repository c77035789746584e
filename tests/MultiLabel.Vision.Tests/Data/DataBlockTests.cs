using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Transforms;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Data;

public sealed class DataBlockTests
{
    static readonly string Scenes = Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick");
    static readonly Table ScenesTable = Table.ReadCsv(Path.Combine(Scenes, "train.csv"));
    /// <summary>The first rows, less validation rows whose labels the training rows among them lack.</summary>
    static IReadOnlyList<TableRow> FirstRows(int n)
    {
        var rows = ScenesTable.Rows.Take(n).ToList();
        var trainLabels = rows.Where(r => r["is_valid"] == "False").SelectMany(r => r["labels"].Split(' ')).ToHashSet();
        return rows.Where(r => r["is_valid"] == "False" || r["labels"].Split(' ').All(trainLabels.Contains)).ToList();
    }

    static DataBlock<TableRow> ChapterBlock(int size = 48) => new(
        blocks: (new ImageBlock(), new MultiCategoryBlock()),
        splitter: Splitters.ColSplitter("is_valid"),
        getX: r => Path.Combine(Scenes, "train", r["fname"]),
        getY: r => r["labels"].Split(' '),
        itemTfms: [new RandomResizedCrop(size, minScale: 0.35)]);

    [Fact]
    public void Without_getters_x_and_y_are_the_item_itself()
    {
        var rows = FirstRows(10);
        var datasets = new DataBlock<TableRow>().Datasets(rows);

        Assert.Equal(rows.Count, datasets.Train.Count + datasets.Valid.Count);
        Assert.Same(datasets.Items[datasets.Train[0].ItemIndex], datasets.Train[0].X);
        Assert.Same(datasets.Train[0].X, datasets.Train[0].Y);
    }

    [Fact]
    public void With_getters_but_no_blocks_the_getter_outputs_are_kept()
    {
        var datasets = new DataBlock<TableRow>(getX: r => r["fname"], getY: r => r["labels"], splitter: Splitters.ColSplitter()).Datasets(FirstRows(10));

        var first = datasets.Train[0];
        Assert.Equal(datasets.Items[first.ItemIndex]["fname"], first.X);
        Assert.Equal(datasets.Items[first.ItemIndex]["labels"], first.Y);
        Assert.All(datasets.Valid, v => Assert.Equal("True", datasets.Items[v.ItemIndex]["is_valid"]));
        var (x, y) = first; // no blocks: what the getters returned
        Assert.Equal((first.X, first.Y), (x, y));
        Assert.False(first.HasBlocks);
        var error = Assert.Throws<InvalidOperationException>(() => first.Encode());
        Assert.Equal($"{first.Location}: encoding needs blocks: give the DataBlock (ImageBlock, a target block) to see items as the model does.", error.Message);
    }

    [Fact]
    public void With_blocks_an_item_deconstructs_as_the_model_sees_it()
    {
        var datasets = ChapterBlock().Datasets(FirstRows(16));
        var first = datasets.Train[0];

        var (x, y) = first; // fastai's x, y = dsets.train[0]
        var expected = datasets.Encode(first);

        Assert.True(first.HasBlocks);
        var image = Assert.IsType<MultiLabel.Vision.Imaging.RgbImage>(x);
        Assert.Equal((expected.Image.Width, expected.Image.Height), (image.Width, image.Height));
        Assert.Equal(expected.Image.Pixels, image.Pixels);
        var oneHot = Assert.IsAssignableFrom<Tensor>(y);
        Assert.Equal(datasets.Vocab!.Count, (int)oneHot.shape[0]);
        var labels = ((string[])first.Y).ToHashSet();
        Assert.Equal(datasets.Vocab.Select(l => labels.Contains(l) ? 1f : 0f), oneHot.data<float>().ToArray());
    }

    [Fact]
    public void The_chapter_block_gives_sorted_vocab_and_one_hot_batches_matching_the_rows()
    {
        var dls = ChapterBlock().DataLoaders(FirstRows(120), batchSize: 8, device: CPU, workers: 2);

        using var batch = dls.OneBatch();

        Assert.Equal(dls.Vocab!.OrderBy(v => v, StringComparer.Ordinal), dls.Vocab!);
        Assert.Equal([8L, 3, 48, 48], batch.X.shape);
        Assert.Equal([8L, dls.Vocab!.Count], batch.Y.shape);
        var y = batch.Y.data<float>().ToArray();
        for (int i = 0; i < batch.Count; i++)
        {
            var row = ScenesTable.Rows.Single(r => r.Location == dls.Train.Items[batch.Positions[i]].Location);
            var expected = dls.Vocab!.Select(v => row["labels"].Split(' ').Contains(v) ? 1f : 0f);
            Assert.Equal(expected, y.Skip(i * dls.Vocab!.Count).Take(dls.Vocab!.Count));
        }
        Assert.InRange(batch.X.mean().item<float>(), -2f, 2f); // normalised with ImageNet statistics
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_epochs_differ()
    {
        static List<Tensor> Epochs(int seed)
        {
            var dls = ChapterBlock(32).DataLoaders(FirstRows(60), batchSize: 8, seed: seed, device: CPU, workers: 2);
            var firsts = new List<Tensor>();
            for (int epoch = 0; epoch < 2; epoch++)
            {
                using var e = dls.Train.GetEnumerator();
                e.MoveNext();
                firsts.Add(e.Current.X);
            }
            return firsts;
        }

        var a = Epochs(1);
        var b = Epochs(1);
        var c = Epochs(2);

        Assert.True(a[0].eq(b[0]).all().item<bool>());
        Assert.True(a[1].eq(b[1]).all().item<bool>());
        Assert.False(a[0].eq(a[1]).all().item<bool>());
        Assert.False(a[0].eq(c[0]).all().item<bool>());
    }

    [Fact]
    public void Training_drops_the_last_partial_batch_and_validation_keeps_it()
    {
        var dls = ChapterBlock(32).DataLoaders(FirstRows(50), batchSize: 8, device: CPU, workers: 1);

        int trainItems = dls.Train.Items.Count, validItems = dls.Valid.Items.Count;
        var trainBatches = dls.Train.Select(b => { using (b) return b.Count; }).ToList();
        var validBatches = dls.Valid.Select(b => { using (b) return b.Count; }).ToList();

        Assert.Equal(trainItems / 8, trainBatches.Count);
        Assert.All(trainBatches, n => Assert.Equal(8, n));
        Assert.Equal(validItems, validBatches.Sum());
        Assert.Equal(dls.Train.Count, trainBatches.Count);
    }

    [Fact]
    public void An_empty_label_set_is_an_all_zero_target()
    {
        var row = ScenesTable.Rows.First(r => r["labels"] == "");
        var rows = FirstRows(40).Append(row).ToList();
        var datasets = ChapterBlock().Datasets(rows);

        var item = datasets.Train.Concat(datasets.Valid).Single(d => d.ItemIndex == rows.Count - 1);

        Assert.Empty((string[])item.Y);
    }

    [Fact]
    public void A_label_only_in_validation_is_named()
    {
        using var temp = new TempFolder();
        TestImages.Jpeg(temp.File("a.jpg"), 16, 16, new Rgb24(1, 1, 1));
        TestImages.Jpeg(temp.File("b.jpg"), 16, 16, new Rgb24(1, 1, 1));
        var table = Table.ParseCsv(new StringReader("fname,labels,is_valid\na.jpg,dog,False\nb.jpg,unicorn,True\n"), "mini.csv");
        var block = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => temp.File(r["fname"]), r => r["labels"], Splitters.ColSplitter());

        var error = Assert.Throws<InvalidDataException>(() => block.Datasets(table.Rows));

        Assert.StartsWith("mini.csv row 2: label 'unicorn' is not in the training set's labels", error.Message);
    }

    [Fact]
    public void Images_of_different_sizes_without_an_item_transform_explain_what_to_add()
    {
        using var temp = new TempFolder();
        TestImages.Jpeg(temp.File("a.jpg"), 16, 16, new Rgb24(1, 1, 1));
        TestImages.Jpeg(temp.File("b.jpg"), 20, 16, new Rgb24(1, 1, 1));
        var table = Table.ParseCsv(new StringReader("fname,labels,is_valid\na.jpg,dog,False\nb.jpg,dog,False\nb.jpg,dog,True\n"), "mini.csv");
        var dls = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => temp.File(r["fname"]), r => r["labels"], Splitters.ColSplitter())
            .DataLoaders(table.Rows, batchSize: 2, device: CPU, workers: 1);

        var error = Assert.Throws<InvalidDataException>(() => dls.Train.First());

        Assert.Contains("must have one size after the item transforms", error.Message);
        Assert.Contains("new Resize(224)", error.Message);
    }

    [Fact]
    public void A_corrupt_image_stops_the_loader_naming_the_file_or_is_reported_when_skipping()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 6; i++) TestImages.Jpeg(temp.File($"{i}.jpg"), 24, 24, new Rgb24(9, 9, 9));
        File.WriteAllText(temp.File("3.jpg"), "not a jpeg at all");
        var table = Table.ParseCsv(new StringReader("fname,labels,is_valid\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"{i}.jpg,dog,{(i == 5 ? "True" : "False")}\n"))), "mini.csv");
        var block = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => temp.File(r["fname"]), r => r["labels"], Splitters.ColSplitter());

        var throwing = block.DataLoaders(table.Rows, batchSize: 5, device: CPU, workers: 2);
        var error = Assert.ThrowsAny<IOException>(() => throwing.Train.Select(b => b.Count).ToList());
        var skipping = block.DataLoaders(table.Rows, batchSize: 4, device: CPU, workers: 2, onBadItem: OnBadItem.SkipAndReport);

        Assert.Contains("3.jpg", error.Message);
        var skipped = Assert.Single(skipping.Skipped);
        Assert.Equal("mini.csv row 4", skipped.Location);
        Assert.Contains("is not an image", skipped.Reason);
        Assert.Equal(4, skipping.Train.Items.Count);
    }

    [Fact]
    public void Show_batch_data_has_fastai_grid_and_titles_from_the_targets()
    {
        var dls = ChapterBlock(32).DataLoaders(FirstRows(80), batchSize: 16, device: CPU, workers: 2);

        var shown = dls.ShowBatch(maxItems: 9);

        Assert.Equal((3, 3), (shown.Rows, shown.Columns));
        Assert.Equal(9, shown.Items.Count);
        foreach (var item in shown.Items)
        {
            Assert.Equal((32, 32), (item.Image.Width, item.Image.Height));
            var row = ScenesTable.Rows.Single(r => r.Location == item.Location);
            Assert.Equal(string.Join(";", row["labels"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)), item.Title);
        }
        Assert.Equal((2, 3), MultiLabel.Vision.Data.Loading.ShowBatchData.Grid(5));
    }

    [Fact]
    public void Head_pose_frames_batch_as_points_in_minus_one_one_with_person_13_for_validation()
    {
        var frames = BiwiHeadPose.Load(Path.Combine(RepositoryRoot.Path, "datasets", "headpose-quick")).Items;
        var block = new DataBlock<BiwiFrame>(
            blocks: (new ImageBlock(), new PointBlock()),
            getX: f => f.ImagePath,
            getY: f => new[] { f.Center },
            splitter: Splitters.FuncSplitter<BiwiFrame>(f => f.Person == "13"),
            batchTfms: [new AugTransforms(size: (60, 80))]);

        var dls = block.DataLoaders(frames, batchSize: 6, device: CPU, workers: 2);
        using var train = dls.OneBatch();
        using var valid = dls.OneBatch(valid: true);

        Assert.Equal(160, dls.Valid.Items.Count);
        Assert.Equal([6L, 3, 60, 80], train.X.shape);
        Assert.Equal([6L, 1, 2], train.Y.shape);
        var v = valid.Y.data<float>().ToArray();
        for (int i = 0; i < valid.Count; i++)
        {
            var frame = frames[dls.Valid.Items[valid.Positions[i]].ItemIndex];
            Assert.Equal(frame.Center.X * 2 / 80 - 1, v[2 * i], 5);
            Assert.Equal(frame.Center.Y * 2 / 60 - 1, v[2 * i + 1], 5);
        }
        Assert.Equal(2, dls.OutputCount);
    }

    [Fact]
    public void The_presize_cache_decodes_each_image_once_and_scales_points()
    {
        var frames = BiwiHeadPose.Load(Path.Combine(RepositoryRoot.Path, "datasets", "headpose-quick")).Items.Take(24).ToList();
        var block = new DataBlock<BiwiFrame>((new ImageBlock(), new PointBlock()), f => f.ImagePath, f => new[] { f.Center }, Splitters.RandomSplitter<BiwiFrame>(0.25, seed: 1));

        var dls = block.DataLoaders(frames, batchSize: 6, device: CPU, workers: 2, presize: 30, cacheImages: true);
        foreach (var b in dls.Train) b.Dispose();
        foreach (var b in dls.Valid) b.Dispose();
        using var again = dls.OneBatch(valid: true);

        Assert.Equal(24, dls.Images.CachedCount);
        Assert.Equal([6L, 3, 30, 40], again.X.shape);
        var frame = frames[dls.Valid.Items[again.Positions[0]].ItemIndex];
        Assert.Equal(frame.Center.X * 2 / 80 - 1, again.Y[0, 0, 0].item<float>(), 4);
    }

    [Fact]
    public void Cached_images_lent_to_the_transforms_give_the_same_batches_as_fresh_decodes_epoch_after_epoch()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick");
        var rows = Table.ReadCsv(Path.Combine(folder, "train.csv")).Rows.Take(16).ToList();
        // A crop that resamples, then a pad: both must read the cached image without changing it.
        var block = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => Path.Combine(folder, "train", r["fname"]), r => r["labels"],
            Splitters.FuncSplitter<TableRow>(_ => false), itemTfms: [new RandomResizedCrop(40, minScale: 0.3), new Resize(48, 48, ResizeMethod.Pad, PadMode.Reflection)]);
        var fresh = block.DataLoaders(rows, batchSize: 8, seed: 5, device: CPU, workers: 2);
        var cached = block.DataLoaders(rows, batchSize: 8, seed: 5, device: CPU, workers: 2, cacheImages: true);

        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var (a, b) in fresh.Train.Zip(cached.Train))
                using (a)
                using (b)
                    Assert.Equal(0f, (a.X - b.X).abs().max().item<float>());
        Assert.Equal(16, cached.Images.CachedCount);
    }

    [Fact]
    public void Reduced_jpeg_decoding_gives_the_same_points_as_full_decoding()
    {
        using var temp = new TempFolder();
        var items = Enumerable.Range(0, 7)
            .Select(i => new PointsImage(TestImages.Jpeg(temp.File($"{i}.jpg"), 400, 300, new Rgb24(50, 60, 70)), [new MultiLabel.Vision.Imaging.Point2(40 + 50 * i, 30 + 40 * i)], i > 0, $"item {i}"))
            .ToList();
        var block = new DataBlock<PointsImage>((new ImageBlock(), new PointBlock()), i => i.ImagePath, i => i.Points,
            Splitters.FuncSplitter<PointsImage>(i => i.IsValid == true), itemTfms: [new RandomResizedCrop(64)]);

        float[] Targets(bool reduced)
        {
            var dls = block.DataLoaders(items, batchSize: 6, device: CPU, workers: 1, reducedJpeg: reduced);
            using var batch = dls.OneBatch(valid: true);
            Assert.Equal([6L, 3, 64, 64], batch.X.shape);
            return batch.Y.data<float>().ToArray();
        }

        var full = Targets(reduced: false);
        var reduced = Targets(reduced: true);

        Assert.Equal(12, full.Length);
        for (int i = 0; i < full.Length; i++) Assert.Equal(full[i], reduced[i], 4);
    }

    [Fact]
    public void A_resize_to_half_a_frames_size_decodes_at_half_scale_and_keeps_the_frames_detail_and_points()
    {
        using var temp = new TempFolder();
        // BIWI-sized frames with a sharp white block, resized to the keypoint chapter's 240×320 (the same aspect ratio).
        var items = Enumerable.Range(0, 4).Select(i =>
        {
            using var image = new SixLabors.ImageSharp.Image<Rgb24>(640, 480, new Rgb24(20, 30, 40));
            for (int y = 100 + 20 * i; y < 180 + 20 * i; y++)
                for (int x = 200 + 40 * i; x < 300 + 40 * i; x++) image[x, y] = new Rgb24(250, 250, 250);
            var path = temp.File($"{i}.jpg");
            SixLabors.ImageSharp.ImageExtensions.Save(image, path, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 95 });
            return new PointsImage(path, [new MultiLabel.Vision.Imaging.Point2(250 + 40 * i, 140 + 20 * i)], i > 0, $"item {i}");
        }).ToList();
        var block = new DataBlock<PointsImage>((new ImageBlock(), new PointBlock()), i => i.ImagePath, i => i.Points,
            Splitters.FuncSplitter<PointsImage>(i => i.IsValid == true), itemTfms: [new Resize(240, 320)]);

        (Tensor X, float[] Y, int DecodedWidth) Batch(bool reduced)
        {
            var dls = block.DataLoaders(items, batchSize: 4, device: CPU, workers: 1, reducedJpeg: reduced);
            var decoded = dls.Images.Get(0, items[0].ImagePath);
            int decodedWidth = decoded.Image.Width;
            decoded.Image.Dispose(); // not cached: the reader owns it
            using var batch = dls.OneBatch(valid: true); // validation: a centre crop, the same on both runs
            return (batch.X.clone(), batch.Y.data<float>().ToArray(), decodedWidth);
        }

        var full = Batch(reduced: false);
        var half = Batch(reduced: true);

        Assert.Equal((640, 320), (full.DecodedWidth, half.DecodedWidth));
        Assert.Equal([3L, 3, 240, 320], half.X.shape);
        Assert.Equal(6, half.Y.Length);
        for (int i = 0; i < full.Y.Length; i++) Assert.Equal(full.Y[i], half.Y[i], 4);
        // The same picture: the block's edges differ by a resampling filter, nothing else (normalised units; the
        // block against the background is ~10 units apart).
        using var difference = (full.X - half.X).abs();
        Assert.InRange(difference.mean().item<float>(), 0f, 0.05f);
        Assert.InRange(difference.max().item<float>(), 0f, 4f);
        full.X.Dispose();
        half.X.Dispose();
    }
}
