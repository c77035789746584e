using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Transforms;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Data;

public sealed class ImageFilesTests
{
    [Fact]
    public void A_folder_per_class_layout_loads_with_parent_labels_and_the_grandparent_split()
    {
        using var temp = new TempFolder();
        foreach (var (split, label, n) in new[] { ("train", "cat", 3), ("train", "dog", 3), ("valid", "cat", 1), ("valid", "dog", 1) })
        {
            var dir = Directory.CreateDirectory(Path.Combine(temp.Path, split, label)).FullName;
            for (int i = 0; i < n; i++) TestImages.Jpeg(Path.Combine(dir, $"{i}.jpg"), 20, 20, label == "cat" ? new Rgb24(200, 0, 0) : new Rgb24(0, 0, 200));
        }
        File.WriteAllText(Path.Combine(temp.Path, "train", "notes.txt"), "not an image");

        var files = ImageFiles.Get(temp.Path);
        var dls = new DataBlock<string>((new ImageBlock(), new CategoryBlock()), f => f, f => ImageFiles.ParentLabel(f), Splitters.GrandparentSplitter(),
            itemTfms: [new Resize(16)]).DataLoaders(files, batchSize: 2, device: CPU, workers: 1);
        using var batch = dls.OneBatch(valid: true);

        Assert.Equal(8, files.Count);
        Assert.Equal(["cat", "dog"], dls.Vocab!);
        Assert.Equal(6, dls.Train.Items.Count);
        Assert.Equal(2, dls.Valid.Items.Count);
        Assert.Equal(ScalarType.Int64, batch.Y.dtype);
        Assert.Equal([0L, 1L], batch.Y.data<long>().ToArray());
        Assert.Equal(2, dls.OutputCount);
    }
}
