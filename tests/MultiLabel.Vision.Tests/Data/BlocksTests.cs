using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class BlocksTests
{
    static (object, string) T(TargetBlock block, object raw, string location) => (block.Validate(raw, location), location);

    [Fact]
    public void The_vocabulary_is_the_sorted_union_of_training_labels_and_targets_are_one_hot()
    {
        var description = new MultiCategoryBlock();
        var train = new[] { T(description, new[] { "person", "horse" }, "r1"), T(description, "car person", "r2"), T(description, Array.Empty<string>(), "r3") };

        var block = description.Setup(train, [T(description, new[] { "car" }, "r4")]);
        var target = new float[block.EncodedLength];
        block.Encode(train[0].Item1, null, 0, 0, target);
        var empty = new float[block.EncodedLength];
        block.Encode(train[2].Item1, null, 0, 0, empty);

        Assert.Equal(["car", "horse", "person"], block.Vocab!);
        Assert.Equal([0f, 1f, 1f], target);
        Assert.Equal([0f, 0f, 0f], empty);
        Assert.Equal("horse;person", new LabelVector(block.Vocab!, target).ToString());
        Assert.Null(description.Vocab); // the description is not fitted: another Datasets learns its own labels
        Assert.Equal("horse;person", block.Decode([0.1f, 0.7f, 0.9f], 0, 0, 0.5f).ToString());
        Assert.Equal("car;horse;person", block.Decode([0.6f, 0.7f, 0.9f], 0, 0, 0.5f).ToString());
        Assert.IsType<MultiLabel.Vision.Losses.BCEWithLogitsLossFlat>(block.DefaultLoss());
    }

    [Fact]
    public void A_label_only_in_validation_is_an_error_naming_the_label_and_row()
    {
        var block = new MultiCategoryBlock();

        var error = Assert.Throws<InvalidDataException>(() =>
            block.Setup([T(block, "dog", "train.csv row 1")], [T(block, "dog cow", "train.csv row 2")]));

        Assert.StartsWith("train.csv row 2: label 'cow' is not in the training set's labels", error.Message);
    }

    [Fact]
    public void Empty_strings_from_splitting_an_empty_cell_mean_no_label()
    {
        var block = new MultiCategoryBlock();
        Assert.Empty((string[])block.Validate("".Split(' '), "r1"));
        Assert.Empty((string[])block.Validate("", "r1"));
    }

    [Fact]
    public void Points_scale_to_minus_one_one_with_the_image_size_and_back()
    {
        var description = new PointBlock();
        var points = (Point2[])description.Validate(new[] { new Point2(0, 0), new Point2(320, 240), new Point2(640, 480), new Point2(352.9487f, 291.3338f) }, "f");
        var block = description.Setup([(points, "f")], []);
        var encoded = new float[block.EncodedLength];

        block.Encode(points, null, 640, 480, encoded);

        Assert.Equal([-1f, -1f, 0f, 0f, 1f, 1f], encoded[..6]);
        Assert.Equal(352.9487f * 2 / 640 - 1, encoded[6], 6);
        Assert.Equal(291.3338f * 2 / 480 - 1, encoded[7], 6);
        var back = new Point2(encoded[6], encoded[7]).ToPixels(640, 480);
        Assert.Equal(352.9487f, back.X, 3);
        Assert.Equal(291.3338f, back.Y, 3);
        var decoded = (Point2[])block.Decode(encoded, 640, 480, 0.5f);
        Assert.Equal(352.9487f, decoded[3].X, 3);
        Assert.Equal(480f, decoded[2].Y, 3);
    }

    [Fact]
    public void Points_outside_the_image_are_kept_and_counts_must_agree()
    {
        var outside = (Point2[])new PointBlock().Validate(new float[] { -10, 500 }, "a");
        var block = new PointBlock().Setup([(outside, "a")], []);
        var encoded = new float[2];
        block.Encode(outside, null, 100, 100, encoded);
        Assert.Equal([-1.2f, 9f], encoded);

        var other = new PointBlock();
        var error = Assert.Throws<InvalidDataException>(() => other.Setup([(new[] { new Point2(1, 1) }, "a"), (new[] { new Point2(1, 1), new Point2(2, 2) }, "b")], []));
        Assert.Equal("b: 2 points, but other items have 1; every item needs the same number.", error.Message);
    }

    [Fact]
    public void Category_and_regression_blocks_encode_index_and_values()
    {
        var category = new CategoryBlock().Setup([("zebra", "a"), ("ant", "b")], [("ant", "c")]);
        var index = new float[1];
        category.Encode("zebra", null, 0, 0, index);
        Assert.Equal(["ant", "zebra"], category.Vocab!);
        Assert.Equal(1f, index[0]);
        Assert.Equal(2, category.OutputCount);
        Assert.Equal("zebra", category.DecodeTarget(index, 0, 0));
        Assert.Equal("ant", category.Decode([0.7f, 0.3f], 0, 0, 0.5f));

        var value = new RegressionBlock().Validate(2.5, "a");
        var regression = new RegressionBlock().Setup([(value, "a")], []);
        var encoded = new float[1];
        regression.Encode(value, null, 0, 0, encoded);
        Assert.Equal(2.5f, encoded[0]);
        Assert.Throws<InvalidDataException>(() => regression.Validate(double.NaN, "b"));
    }
}
