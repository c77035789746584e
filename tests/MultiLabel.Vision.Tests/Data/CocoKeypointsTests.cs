using MultiLabel.Vision.Data.Formats;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class CocoKeypointsTests
{
    static string Write(TempFolder temp, string annotations)
    {
        TestImages.Jpeg(temp.File("a.jpg"), 40, 30, new Rgb24(1, 2, 3));
        TestImages.Jpeg(temp.File("b.jpg"), 40, 30, new Rgb24(1, 2, 3));
        var path = temp.File("person_keypoints.json");
        const string head = """
            {"images": [{"id": 1, "file_name": "a.jpg", "width": 40, "height": 30}, {"id": 2, "file_name": "b.jpg"}],
             "categories": [{"id": 1, "name": "person", "keypoints": ["nose", "left_eye", "right_eye"], "skeleton": [[1, 2]]}],
             "annotations": [
            """;
        File.WriteAllText(path, head + annotations + "]}");
        return path;
    }

    [Fact]
    public void Keypoints_load_with_visibility_and_unlabelled_points_as_NaN()
    {
        using var temp = new TempFolder();
        var path = Write(temp, """
            {"id": 10, "image_id": 1, "category_id": 1, "keypoints": [12, 8, 2, 0, 0, 0, 20.5, 9, 1]},
            {"id": 11, "image_id": 2, "category_id": 1, "keypoints": [0, 0, 0, 0, 0, 0, 0, 0, 0]}
            """);

        var report = CocoKeypoints.Load(path, temp.Path);

        var item = Assert.Single(report.Items);
        Assert.Equal(new MultiLabel.Vision.Imaging.Point2(12, 8), item.Points[0]);
        Assert.True(float.IsNaN(item.Points[1].X) && float.IsNaN(item.Points[1].Y));
        Assert.Equal(new MultiLabel.Vision.Imaging.Point2(20.5f, 9), item.Points[2]);
        Assert.Equal([KeypointVisibility.Visible, KeypointVisibility.NotLabeled, KeypointVisibility.Hidden], item.Visibility);
        Assert.Equal(2, item.LabeledCount);
        Assert.Equal(["nose", "left_eye", "right_eye"], item.KeypointNames);
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal("person_keypoints.json annotation 1", skipped.Location);
        Assert.Contains("no labelled keypoint", skipped.Reason);
    }

    [Fact]
    public void Left_and_right_names_give_flip_pairs()
    {
        Assert.Equal([(1, 2), (3, 4)], CocoKeypoints.FlipPairs(["nose", "left_eye", "right_eye", "left_ear", "right_ear"]));
    }

    [Fact]
    public void A_bad_visibility_flag_and_an_unknown_image_are_named()
    {
        using var temp = new TempFolder();
        var bad = Write(temp, """{"id": 10, "image_id": 1, "category_id": 1, "keypoints": [12, 8, 5, 0, 0, 0, 1, 1, 1]}""");
        var error = Assert.Throws<InvalidDataException>(() => CocoKeypoints.Load(bad, temp.Path));
        Assert.Equal("person_keypoints.json annotation 0: keypoint 0 has visibility 5; COCO uses 0, 1 or 2.", error.Message);

        var unknown = Write(temp, """{"id": 10, "image_id": 9, "category_id": 1, "keypoints": [1, 1, 2, 1, 1, 2, 1, 1, 2]}""");
        error = Assert.Throws<InvalidDataException>(() => CocoKeypoints.Load(unknown, temp.Path));
        Assert.Equal("person_keypoints.json annotation 0: image_id 9 is not in 'images'.", error.Message);
    }
}
