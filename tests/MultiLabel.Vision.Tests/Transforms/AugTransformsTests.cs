using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Transforms;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Transforms;

public sealed class AugTransformsTests
{
    static readonly AugTransforms Aug = new();

    static Point2 Move(float x, float y, ItemAugmentation draw) => AugTransforms.MovePoint(new Point2(x, y), draw);

    [Fact]
    public void A_flip_mirrors_x()
    {
        var p = Move(0.3f, -0.2f, new ItemAugmentation(Flip: true));
        Assert.Equal(-0.3f, p.X, 5);
        Assert.Equal(-0.2f, p.Y, 5);
    }

    [Fact]
    public void A_90_degree_rotation_turns_x_into_y()
    {
        // The image is sampled at M·dst with M = [[cos, sin], [−sin, cos]]; points go to M⁻¹·src.
        var p = Move(0.5f, 0f, new ItemAugmentation(RotateDegrees: 90));
        Assert.Equal(0f, p.X, 5);
        Assert.Equal(0.5f, p.Y, 5);
    }

    [Fact]
    public void A_centred_zoom_of_two_doubles_coordinates_and_an_off_centre_zoom_shifts_them()
    {
        var centred = Move(0.2f, -0.4f, new ItemAugmentation(Zoom: 2));
        Assert.Equal(0.4f, centred.X, 5);
        Assert.Equal(-0.8f, centred.Y, 5);

        // s = 1/2, centre offset (1 − s)(2·1 − 1) = 0.5 on x: src = 0.5·dst + 0.5 → dst = 2·(src − 0.5)
        var shifted = Move(0.5f, 0f, new ItemAugmentation(Zoom: 2, ZoomCol: 1));
        Assert.Equal(0f, shifted.X, 5);
    }

    [Fact]
    public void A_warp_moves_the_corners_to_the_fastai_targets()
    {
        var draw = new ItemAugmentation(WarpX: 0.2, WarpY: 0.1);
        var opposite = Move(1, 1, draw);
        Assert.Equal(0.9f, opposite.X, 4);
        Assert.Equal(0.8f, opposite.Y, 4);
        // the input corner (−1, −1) is what the output samples at (−1 − y_t, −1 − x_t)
        var corner = Move(-1, -1, draw);
        Assert.Equal(-1.1f, corner.X, 4);
        Assert.Equal(-1.2f, corner.Y, 4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Images_and_points_move_together_under_random_augmentation(int seed)
    {
        using var scope = NewDisposeScope();
        const int size = 96;
        var (dotX, dotY) = (40, 55);
        var image = zeros(1, 3, size, size);
        image[0, .., (dotY - 1)..(dotY + 2), (dotX - 1)..(dotX + 2)] = ones(3, 3, 3); // a 3×3 white dot
        var point = new Point2(dotX + 0.5f, dotY + 0.5f).ToUnit(size, size);
        var batch = new BatchTensors(image, tensor(new[] { point.X, point.Y }).view(1, 1, 2));
        var aug = new AugTransforms(maxLighting: 0, pAffine: 1);
        var draw = aug.Draw(1, new Random(seed));

        aug.ApplyWith(batch, draw);

        var result = batch.Images[0, 0];
        long flat = result.argmax().item<long>();
        var (y, x) = (flat / size, flat % size);
        var moved = new Point2(batch.Points![0, 0, 0].item<float>(), batch.Points![0, 0, 1].item<float>()).ToPixels(size, size);
        Assert.InRange(Math.Abs(moved.X - (x + 0.5f)), 0, 1.6f);
        Assert.InRange(Math.Abs(moved.Y - (y + 0.5f)), 0, 1.6f);
    }

    [Fact]
    public void Batched_points_on_the_device_move_as_the_per_point_map_with_warps_flips_pairs_and_unlabelled_points()
    {
        using var scope = NewDisposeScope();
        const int batchSize = 16, n = 3;
        var aug = new AugTransforms(maxLighting: 0, pAffine: 1, maxWarp: 0.3, flipPairs: [(0, 2)]);
        var draws = aug.Draw(batchSize, new Random(11));
        Assert.Contains(draws, d => d.Flip);
        Assert.Contains(draws, d => d.HasWarp);
        var random = new Random(5);
        var values = Enumerable.Range(0, batchSize * n * 2).Select(_ => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
        values[2] = values[3] = float.NaN; // item 0, point 1 is unlabelled
        var batch = new BatchTensors(zeros(batchSize, 3, 8, 8), tensor(values).view(batchSize, n, 2));

        aug.ApplyWith(batch, draws);

        var moved = batch.Points!.data<float>().ToArray();
        for (int i = 0; i < batchSize; i++)
        {
            var expected = Enumerable.Range(0, n).Select(j => Move(values[(i * n + j) * 2], values[(i * n + j) * 2 + 1], draws[i])).ToArray();
            if (draws[i].Flip) (expected[0], expected[2]) = (expected[2], expected[0]);
            for (int j = 0; j < n; j++)
            {
                float x = moved[(i * n + j) * 2], y = moved[(i * n + j) * 2 + 1];
                if (!expected[j].IsFinite) { Assert.True(float.IsNaN(x) && float.IsNaN(y), $"item {i} point {j} should stay unlabelled"); continue; }
                Assert.True(Math.Abs(x - expected[j].X) < 1e-5 && Math.Abs(y - expected[j].Y) < 1e-5,
                    $"item {i} point {j}: ({x}, {y}) vs ({expected[j].X}, {expected[j].Y})");
            }
        }
    }

    [Fact]
    public void Validation_only_resizes_and_leaves_points_where_they_are()
    {
        using var scope = NewDisposeScope();
        var batch = new BatchTensors(rand(2, 3, 48, 64), tensor(new[] { 0.25f, -0.5f, 0f, 0f }).view(2, 1, 2));

        new AugTransforms(size: (24, 32)).Apply(batch, training: false, new Random(0));

        Assert.Equal([2L, 3, 24, 32], batch.Images.shape);
        Assert.Equal([0.25f, -0.5f, 0f, 0f], batch.Points!.data<float>().ToArray());
    }

    [Fact]
    public void Flip_swaps_paired_points_and_clamping_keeps_points_inside()
    {
        using var scope = NewDisposeScope();
        var aug = new AugTransforms(flipPairs: [(0, 1)], clampPoints: true);
        var batch = new BatchTensors(zeros(1, 3, 8, 8), tensor(new[] { -0.5f, 0f, 0.5f, 1.5f }).view(1, 2, 2));

        aug.ApplyWith(batch, [new ItemAugmentation(Flip: true)]);

        // flipped: (−0.5, 0) → (0.5, 0) and (0.5, 1.5) → (−0.5, 1.5); swapped; y clamped to 1
        Assert.Equal([-0.5f, 1f, 0.5f, 0f], batch.Points!.data<float>().ToArray());
    }

    [Fact]
    public void Lighting_is_neutral_at_half_brightness_and_unit_contrast_and_brightens_above()
    {
        using var scope = NewDisposeScope();
        var x = full(1, 3, 4, 4, 0.3f);
        var neutral = new BatchTensors(x.clone());
        var brighter = new BatchTensors(x.clone());

        Aug.ApplyWith(neutral, [ItemAugmentation.Identity]);
        Aug.ApplyWith(brighter, [new ItemAugmentation(Brightness: 0.6)]);

        Assert.Equal(0.3f, neutral.Images.mean().item<float>(), 5);
        // sigmoid(logit(0.3) + logit(0.6))
        double expected = 1 / (1 + Math.Exp(-(Math.Log(0.3 / 0.7) + Math.Log(0.6 / 0.4))));
        Assert.Equal((float)expected, brighter.Images.mean().item<float>(), 4);
    }

    [Fact]
    public void The_same_seed_draws_the_same_augmentations()
    {
        Assert.Equal(Aug.Draw(8, new Random(5)), Aug.Draw(8, new Random(5)));
        Assert.NotEqual(Aug.Draw(8, new Random(5)), Aug.Draw(8, new Random(6)));
    }
}
