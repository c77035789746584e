using MultiLabel.Vision.Data;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

/// <summary>fastai's GrandparentSplitter on a folder laid out as train/&lt;label&gt;/… and valid/&lt;label&gt;/….</summary>
public sealed class GrandparentSplitterTests
{
    [Fact]
    public void Files_under_train_and_valid_split_by_their_grandparent_and_others_are_left_out()
    {
        string[] files =
        [
            "/data/pets/train/cat/1.jpg", "/data/pets/valid/cat/2.jpg", "/data/pets/train/dog/3.jpg",
            "/data/pets/test/dog/4.jpg", "/data/pets/valid/dog/5.jpg", "/data/pets/train/6.jpg",
        ];

        var split = Splitters.GrandparentSplitter()(files);
        var renamed = Splitters.GrandparentSplitter(trainName: "valid", validName: "test")(files);

        Assert.Equal([0, 2], split.Train);   // 6.jpg's grandparent is pets: neither
        Assert.Equal([1, 4], split.Valid);
        Assert.Equal([1, 4], renamed.Train);
        Assert.Equal([3], renamed.Valid);
    }
}
