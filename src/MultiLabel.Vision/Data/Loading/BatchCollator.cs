using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>The CPU half of batching: decode each item, run its item transforms with a per-item seed, check the
/// sizes agree, and pack pixels and encoded targets. An item stays one ImageSharp image from decode to here and is
/// copied once, into the batch buffer. Thread-safe; items of a batch run in parallel.</summary>
sealed class BatchCollator(IReadOnlyList<DatasetItem> items, TargetBlock target, IReadOnlyList<IItemTransform> itemTfms, ImageSource images, int seed, bool training, int workers)
{
    public CollatedBatch Collate(int batchIndex, int[] positions, int epoch)
    {
        var prepared = new Prepared[positions.Length];
        try
        {
            return Pack(batchIndex, positions, epoch, prepared);
        }
        finally
        {
            foreach (var p in prepared)
                if (p is { Owned: true }) p.Image.Dispose();
        }
    }

    CollatedBatch Pack(int batchIndex, int[] positions, int epoch, Prepared[] prepared)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) };
        if (workers <= 1) for (int i = 0; i < positions.Length; i++) prepared[i] = Prepare(positions[i], epoch);
        else
        {
            try
            {
                Parallel.For(0, positions.Length, options, i => prepared[i] = Prepare(positions[i], epoch));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // Surface the item's own error (it names the file), not the parallel wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }

        int h = prepared[0].Image.Height, w = prepared[0].Image.Width;
        for (int i = 1; i < prepared.Length; i++)
        {
            if (prepared[i].Image.Height != h || prepared[i].Image.Width != w)
                throw new InvalidDataException(
                    $"Items in a batch must have one size after the item transforms, but {items[positions[0]].Location} is {w}×{h} and " +
                    $"{items[positions[i]].Location} is {prepared[i].Image.Width}×{prepared[i].Image.Height}. Add an item transform such as " +
                    "new Resize(224) or new RandomResizedCrop(128).");
        }
        int length = target.EncodedLength, plane = h * w * 3;
        var pixels = new byte[positions.Length * plane];
        var targets = new float[positions.Length * length];
        for (int i = 0; i < prepared.Length; i++)
        {
            prepared[i].Image.CopyPixelDataTo(pixels.AsSpan(i * plane, plane));
            target.Encode(items[positions[i]].Y, prepared[i].Points, w, h, targets.AsSpan(i * length, length));
        }
        return new CollatedBatch(batchIndex, positions, pixels, h, w, targets, length, prepared.Select(p => (p.W, p.H)).ToArray());
    }

    /// <summary>An item ready to pack; <see cref="Owned"/> images are disposed once copied (cached ones are not).</summary>
    sealed record Prepared(Image<Rgb24> Image, bool Owned, Point2[]? Points, int W, int H);

    Prepared Prepare(int position, int epoch)
    {
        var item = items[position];
        var source = images.Get(item.ItemIndex, item.X);
        var points = target.PointsOf(item.Y)?.Select(p => new Point2(p.X * source.ScaleX, p.Y * source.ScaleY)).ToArray();
        if (itemTfms.Count == 0) return new Prepared(source.Image, !source.Shared, points, source.OriginalWidth, source.OriginalHeight);
        // A fresh image is changed in place; a cached one is lent to the transforms, which read it into a new image.
        var sample = new ImageSample(source.Image, points, borrowed: source.Shared);
        try
        {
            var random = new Random(Seeds.Mix(seed, epoch, item.ItemIndex, 1));
            foreach (var transform in itemTfms) transform.Apply(sample, training, random);
            return new Prepared(sample.Image, !sample.Borrowed, sample.Points, source.OriginalWidth, source.OriginalHeight);
        }
        catch
        {
            sample.Dispose();
            throw;
        }
    }
}
