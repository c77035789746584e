using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class FolderCsvTests
{
    [Fact]
    public void Labels_csv_loads_with_an_optional_validation_column()
    {
        using var temp = new TempFolder();
        TestImages.Jpeg(temp.File("x.jpg"), 8, 8, new Rgb24(0, 0, 0));
        File.WriteAllText(temp.File("labels.csv"), "fname,labels\nx.jpg,cat dog\n");

        var item = Assert.Single(FolderCsv.LoadLabels(temp.Path).Items);

        Assert.Equal(["cat", "dog"], item.Labels);
        Assert.Null(item.IsValid);
    }

    [Fact]
    public void Points_csv_reads_every_xy_pair_and_names_a_bad_number()
    {
        using var temp = new TempFolder();
        TestImages.Jpeg(temp.File("x.jpg"), 8, 8, new Rgb24(0, 0, 0));
        File.WriteAllText(temp.File("points.csv"), "fname,x1,y1,x2,y2,is_valid\nx.jpg,1.5,2,-3,40,True\n");

        var item = Assert.Single(FolderCsv.LoadPoints(temp.Path).Items);
        Assert.Equal([new Point2(1.5f, 2), new Point2(-3, 40)], item.Points);
        Assert.True(item.IsValid);

        File.WriteAllText(temp.File("points.csv"), "fname,x1,y1\nx.jpg,1.5,oops\n");
        var error = Assert.Throws<InvalidDataException>(() => FolderCsv.LoadPoints(temp.Path));
        Assert.Equal("points.csv row 1: y1 is 'oops', not a number.", error.Message);
    }
}
