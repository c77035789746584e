using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MultiLabel.Vision.Transforms;

/// <summary>
/// fastai's aug_transforms as one batch transform: flip (p 0.5), rotate (±maxRotate°), zoom (minZoom..maxZoom) and
/// perspective warp (±maxWarp), each affine step with probability pAffine, fused into a single resample (bilinear,
/// reflection padding by default) that also resizes to <c>size</c>; then brightness and contrast (±maxLighting, each
/// with probability pLighting). Points move with the image through the same matrices; on a flip the given left/right
/// point pairs swap; points can be clamped to the image. Validation batches are only resized. Runs on the batch's device.
/// </summary>
public sealed class AugTransforms : IBatchTransform
{
    /// <summary>The output size, or null to keep the input's.</summary>
    public (int Height, int Width)? Size { get; }
    /// <summary>Whether items are mirrored left–right with probability 0.5.</summary>
    public bool DoFlip { get; }
    /// <summary>Largest rotation in degrees, either way.</summary>
    public double MaxRotate { get; }
    /// <summary>Smallest zoom factor.</summary>
    public double MinZoom { get; }
    /// <summary>Largest zoom factor.</summary>
    public double MaxZoom { get; }
    /// <summary>Largest brightness and contrast change.</summary>
    public double MaxLighting { get; }
    /// <summary>Largest perspective warp.</summary>
    public double MaxWarp { get; }
    /// <summary>Probability of each affine step (rotation, zoom, warp).</summary>
    public double PAffine { get; }
    /// <summary>Probability of each lighting step.</summary>
    public double PLighting { get; }
    /// <summary>How pixels from outside the image are filled.</summary>
    public PadMode PadMode { get; }
    /// <summary>Point indices that swap on a flip (a left eye becomes the right one).</summary>
    public IReadOnlyList<(int Left, int Right)> FlipPairs { get; }
    /// <summary>Whether points moved outside the image are clamped to its edge.</summary>
    public bool ClampPoints { get; }

    /// <summary>fastai's <c>aug_transforms</c> with its defaults.</summary>
    /// <param name="size">Output size; null keeps the input size.</param>
    /// <param name="doFlip">Mirror with probability 0.5.</param>
    /// <param name="maxRotate">Largest rotation in degrees.</param>
    /// <param name="minZoom">Smallest zoom.</param>
    /// <param name="maxZoom">Largest zoom.</param>
    /// <param name="maxLighting">Largest lighting change.</param>
    /// <param name="maxWarp">Largest perspective warp.</param>
    /// <param name="pAffine">Probability of each affine step.</param>
    /// <param name="pLighting">Probability of each lighting step.</param>
    /// <param name="padMode">How the outside of the image is filled.</param>
    /// <param name="flipPairs">Point indices that swap on a flip.</param>
    /// <param name="clampPoints">Clamp moved points to the image.</param>
    public AugTransforms((int Height, int Width)? size = null, bool doFlip = true, double maxRotate = 10, double minZoom = 1, double maxZoom = 1.1,
        double maxLighting = 0.2, double maxWarp = 0.2, double pAffine = 0.75, double pLighting = 0.75, PadMode padMode = PadMode.Reflection,
        IReadOnlyList<(int Left, int Right)>? flipPairs = null, bool clampPoints = false)
    {
        if (size is { } s && (s.Height <= 0 || s.Width <= 0)) throw new ArgumentOutOfRangeException(nameof(size), $"size must be positive, got {s.Height}×{s.Width}.");
        if (minZoom <= 0 || maxZoom < minZoom) throw new ArgumentOutOfRangeException(nameof(minZoom), $"Zoom range must satisfy 0 < minZoom ≤ maxZoom, got {minZoom}..{maxZoom}.");
        if (maxLighting is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(maxLighting), maxLighting, "maxLighting must be in [0, 1).");
        if (pAffine is < 0 or > 1 || pLighting is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(pAffine), "Probabilities must be in [0, 1].");
        (Size, DoFlip, MaxRotate, MinZoom, MaxZoom, MaxLighting, MaxWarp, PAffine, PLighting, PadMode, ClampPoints) =
            (size, doFlip, maxRotate, minZoom, maxZoom, maxLighting, maxWarp, pAffine, pLighting, padMode, clampPoints);
        FlipPairs = flipPairs ?? [];
    }

    /// <summary>Draws each item's augmentation, in a fixed order, from <paramref name="random"/>.</summary>
    public IReadOnlyList<ItemAugmentation> Draw(int batchSize, Random random)
    {
        var draws = new ItemAugmentation[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            bool flip = DoFlip && random.NextDouble() < 0.5;
            double rotate = MaxRotate > 0 && random.NextDouble() < PAffine ? Uniform(random, -MaxRotate, MaxRotate) : 0;
            double zoom = MaxZoom > MinZoom && random.NextDouble() < PAffine ? Uniform(random, MinZoom, MaxZoom) : 1;
            double col = random.NextDouble(), row = random.NextDouble();
            bool warp = MaxWarp > 0 && random.NextDouble() < PAffine;
            double wx = warp ? Uniform(random, -MaxWarp, MaxWarp) : 0, wy = warp ? Uniform(random, -MaxWarp, MaxWarp) : 0;
            double brightness = MaxLighting > 0 && random.NextDouble() < PLighting ? Uniform(random, 0.5 * (1 - MaxLighting), 0.5 * (1 + MaxLighting)) : 0.5;
            double contrast = MaxLighting > 0 && random.NextDouble() < PLighting ? Math.Exp(Uniform(random, Math.Log(1 - MaxLighting), -Math.Log(1 - MaxLighting))) : 1;
            draws[i] = new ItemAugmentation(flip, rotate, zoom, col, row, wx, wy, brightness, contrast);
        }
        return draws;
    }

    /// <inheritdoc/>
    public void Apply(BatchTensors batch, bool training, Random random)
    {
        int b = (int)batch.Images.shape[0];
        var draws = training ? Draw(b, random) : Enumerable.Repeat(ItemAugmentation.Identity, b).ToArray();
        ApplyWith(batch, draws);
    }

    /// <summary>Applies given draws (one per item): the image resample, lighting and the points.</summary>
    public void ApplyWith(BatchTensors batch, IReadOnlyList<ItemAugmentation> draws)
    {
        var images = batch.Images;
        long b = images.shape[0], h = Size?.Height ?? images.shape[2], w = Size?.Width ?? images.shape[3];
        bool geometric = draws.Any(d => d.HasGeometry);
        if (geometric || h != images.shape[2] || w != images.shape[3])
            batch.Images = Resample(images, draws, h, w);
        if (draws.Any(d => d.HasLighting))
            batch.Images = Lighting(batch.Images, draws);
        if (batch.Points is not null && geometric)
            batch.Points = MovePoints(batch.Points, draws);
        if (batch.Points is not null && ClampPoints)
            batch.Points = batch.Points.clamp(Scalars.MinusOne, Scalars.One);
    }

    Tensor Resample(Tensor images, IReadOnlyList<ItemAugmentation> draws, long h, long w)
    {
        var device = images.device;
        var theta = new float[draws.Count * 6];
        for (int i = 0; i < draws.Count; i++)
        {
            var m = draws[i].AffineMatrix();
            for (int k = 0; k < 6; k++) theta[6 * i + k] = (float)m[k];
        }
        using var thetaTensor = HostToDevice.FromArray(theta, device, draws.Count, 2, 3);
        var grid = F.affine_grid(thetaTensor, [draws.Count, 3, h, w], align_corners: false);
        if (draws.Any(d => d.HasWarp))
        {
            var warps = new float[draws.Count * 9];
            for (int i = 0; i < draws.Count; i++)
            {
                var hm = draws[i].WarpMatrix();
                for (int k = 0; k < 9; k++) warps[9 * i + k] = (float)hm[k];
            }
            using var warp = HostToDevice.FromArray(warps, device, draws.Count, 3, 3);
            using var flat = grid.view(draws.Count, -1, 2);
            using var ones = torch.ones(draws.Count, flat.shape[1], 1, device: device);
            using var homogeneous = torch.cat([flat, ones], 2);
            using var mapped = torch.bmm(homogeneous, warp.transpose(1, 2));
            using var xy = mapped.narrow(2, 0, 2);
            using var z = mapped.narrow(2, 2, 1);
            var warped = (xy / z).view(draws.Count, h, w, 2);
            grid.Dispose();
            grid = warped;
        }
        var padding = PadMode switch
        {
            PadMode.Zeros => GridSamplePaddingMode.Zeros,
            PadMode.Border => GridSamplePaddingMode.Border,
            _ => GridSamplePaddingMode.Reflection,
        };
        var result = F.grid_sample(images, grid, GridSampleMode.Bilinear, padding, align_corners: false);
        grid.Dispose();
        return result;
    }

    static readonly Scalar LightingLow = 1e-7.ToScalar(), LightingHigh = (1 - 1e-7).ToScalar();

    static Tensor Lighting(Tensor images, IReadOnlyList<ItemAugmentation> draws)
    {
        var device = images.device;
        using var brightness = HostToDevice.FromArray(draws.Select(d => (float)Logit(d.Brightness)).ToArray(), device, draws.Count, 1, 1, 1);
        using var contrast = HostToDevice.FromArray(draws.Select(d => (float)d.Contrast).ToArray(), device, draws.Count, 1, 1, 1);
        // log(p / (1 − p)) as log(p) − log1p(−p): no number-to-Scalar conversion (see Scalars).
        using var clamped = images.clamp(LightingLow, LightingHigh);
        using var negated = clamped.neg();
        var logit = clamped.log().sub_(negated.log1p_());
        return logit.add_(brightness, Scalars.One).mul_(contrast).sigmoid_();
    }

    /// <summary>Moves every point on the points' device (no copy back to the host, which would wait for the GPU): one
    /// 3×3 map per item (<see cref="PointMap"/>), then left/right keypoints swapped on flipped items.</summary>
    Tensor MovePoints(Tensor points, IReadOnlyList<ItemAugmentation> draws)
    {
        var device = points.device;
        int b = draws.Count;
        long n = points.shape[1];
        var maps = new float[b * 9];
        for (int i = 0; i < b; i++)
        {
            var m = PointMap(draws[i]);
            for (int k = 0; k < 9; k++) maps[9 * i + k] = (float)m[k];
        }
        using var map = HostToDevice.FromArray(maps, device, b, 3, 3);
        using var ones = torch.ones(b, n, 1, dtype: points.dtype, device: device);
        using var homogeneous = torch.cat([points, ones], 2);
        using var mapped = torch.bmm(homogeneous, map.transpose(1, 2));
        using var xy = mapped.narrow(2, 0, 2);
        using var z = mapped.narrow(2, 2, 1);
        var moved = xy / z; // NaN (unlabelled) points stay NaN
        if (FlipPairs.Count == 0 || !draws.Any(d => d.Flip)) return moved;
        var order = new long[b * n];
        for (int i = 0; i < b; i++)
        {
            for (int j = 0; j < n; j++) order[i * n + j] = j;
            if (draws[i].Flip)
                foreach (var (left, right) in FlipPairs) (order[i * n + left], order[i * n + right]) = (order[i * n + right], order[i * n + left]);
        }
        using var index = HostToDevice.FromArray(order, device, b, n, 1);
        using var expanded = index.expand(b, n, 2);
        using (moved) return moved.gather(1, expanded);
    }

    /// <summary>The 3×3 map taking a point of the input to the output, in homogeneous coordinates: the inverse warp,
    /// then the inverse affine (as <see cref="MovePoint"/>; dividing by the third coordinate gives the point).</summary>
    public static double[] PointMap(ItemAugmentation draw)
    {
        var a = ItemAugmentation.Invert(draw.AffineMatrix());
        double[] inverseAffine = [a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1];
        if (!draw.HasWarp) return inverseAffine;
        var w = draw.WarpMatrix(invert: true);
        var product = new double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++) product[3 * r + c] += inverseAffine[3 * r + k] * w[3 * k + c];
        return product;
    }

    /// <summary>Where a point (in [-1, 1]) of the input lands in the output: the inverse of the image's sampling map.</summary>
    public static Point2 MovePoint(Point2 source, ItemAugmentation draw)
    {
        if (!source.IsFinite) return source;
        double x = source.X, y = source.Y;
        if (draw.HasWarp) (x, y) = Homography.Apply(draw.WarpMatrix(invert: true), x, y);
        var inverse = ItemAugmentation.Invert(draw.AffineMatrix());
        return new Point2((float)(inverse[0] * x + inverse[1] * y + inverse[2]), (float)(inverse[3] * x + inverse[4] * y + inverse[5]));
    }

    static double Uniform(Random random, double low, double high) => low + random.NextDouble() * (high - low);
    static double Logit(double p) => Math.Log(p / (1 - p));

    /// <inheritdoc/>
    public override string ToString() =>
        $"AugTransforms(size {(Size is { } s ? $"{s.Height}×{s.Width}" : "unchanged")}, flip {DoFlip}, rotate ±{MaxRotate}°, zoom {MinZoom}..{MaxZoom}, warp {MaxWarp}, lighting {MaxLighting}, p {PAffine}/{PLighting})";
}
