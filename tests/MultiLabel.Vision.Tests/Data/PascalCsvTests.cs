using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Formats;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class PascalCsvTests
{
    static string Folder(TempFolder temp, string csv, params string[] images)
    {
        Directory.CreateDirectory(temp.File("train"));
        foreach (var image in images) TestImages.Jpeg(Path.Combine(temp.File("train"), image), 20, 15, new Rgb24(200, 10, 10));
        File.WriteAllText(temp.File("train.csv"), csv);
        return temp.Path;
    }

    [Fact]
    public void Rows_load_with_labels_validation_flags_and_empty_label_sets()
    {
        using var temp = new TempFolder();
        var root = Folder(temp, "fname,labels,is_valid\n000005.jpg,chair,True\n000007.jpg,car,True\n000009.jpg,horse person,False\n000012.jpg,,False\n",
            "000005.jpg", "000007.jpg", "000009.jpg", "000012.jpg");

        var report = PascalCsv.Load(root);

        Assert.Empty(report.Skipped);
        Assert.Equal(4, report.Items.Count);
        Assert.Equal(["horse", "person"], report.Items[2].Labels);
        Assert.Empty(report.Items[3].Labels);
        Assert.True(report.Items[0].IsValid);
        Assert.False(report.Items[2].IsValid);
        Assert.Equal(Path.Combine(root, "train", "000009.jpg"), report.Items[2].ImagePath);
        Assert.Equal("train.csv row 3", report.Items[2].Location);
    }

    [Fact]
    public void A_bad_is_valid_value_names_the_row_and_the_value()
    {
        using var temp = new TempFolder();
        var root = Folder(temp, "fname,labels,is_valid\na.jpg,dog,True\nb.jpg,cat,maybe\n", "a.jpg", "b.jpg");

        var error = Assert.Throws<InvalidDataException>(() => PascalCsv.Load(root));

        Assert.Equal("train.csv row 2: is_valid is 'maybe'; expected True or False.", error.Message);
    }

    [Fact]
    public void An_empty_fname_and_a_missing_image_are_named()
    {
        using var temp = new TempFolder();
        var root = Folder(temp, "fname,labels,is_valid\n,dog,True\n", "a.jpg");
        var error = Assert.Throws<InvalidDataException>(() => PascalCsv.Load(root));
        Assert.Equal("train.csv row 1: fname is empty.", error.Message);

        File.WriteAllText(temp.File("train.csv"), "fname,labels,is_valid\nmissing.jpg,dog,True\n");
        error = Assert.Throws<InvalidDataException>(() => PascalCsv.Load(root));
        Assert.Contains("train.csv row 1: the image '", error.Message);
        Assert.Contains("missing.jpg' does not exist.", error.Message);
    }

    [Fact]
    public void A_csv_missing_a_column_says_which()
    {
        using var temp = new TempFolder();
        var root = Folder(temp, "fname,labels\na.jpg,dog\n", "a.jpg");

        var error = Assert.Throws<InvalidDataException>(() => PascalCsv.Load(root));

        Assert.Equal("train.csv lacks the column 'is_valid' (it has: fname, labels).", error.Message);
    }

    [Fact]
    public void Skip_and_report_keeps_the_good_rows_and_lists_the_bad_ones_with_reasons()
    {
        using var temp = new TempFolder();
        var root = Folder(temp, "fname,labels,is_valid\na.jpg,dog,True\n,cat,False\nb.jpg,cat,perhaps\nc.jpg,bird,False\ngone.jpg,dog,False\n", "a.jpg", "b.jpg", "c.jpg");

        var report = PascalCsv.Load(root, onBadItem: OnBadItem.SkipAndReport);

        Assert.Equal(["a.jpg", "c.jpg"], report.Items.Select(i => Path.GetFileName(i.ImagePath)));
        Assert.Equal(["train.csv row 2", "train.csv row 3", "train.csv row 5"], report.Skipped.Select(s => s.Location));
        Assert.Contains("fname is empty", report.Skipped[0].Reason);
        Assert.Contains("'perhaps'", report.Skipped[1].Reason);
        Assert.Contains("gone.jpg' does not exist", report.Skipped[2].Reason);
        Assert.StartsWith("2 items, 3 skipped:", report.ToString());
    }

    [Fact]
    public void The_bundled_scenes_load_through_the_real_loader()
    {
        var report = PascalCsv.Load(Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick"));

        Assert.Equal(2000, report.Items.Count);
        Assert.Empty(report.Skipped);
        Assert.Contains(report.Items, i => i.Labels.Count == 0);
        Assert.Contains(report.Items, i => i.Labels.Count >= 3);
        Assert.InRange(report.Items.Count(i => i.IsValid), 800, 1200);
    }
}
