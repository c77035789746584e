using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Tensors;
using MultiLabel.Vision.Transforms;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>
/// What validation does to an image, for prediction on new images: decode, item transforms in validation mode, batch
/// transforms in validation mode (e.g. the resize of AugTransforms), normalisation. Items of one call must come out the
/// same size, as in a batch.
/// </summary>
public sealed class InferencePipeline(IReadOnlyList<IItemTransform> itemTfms, IReadOnlyList<IBatchTransform> batchTfms, Normalize? normalization, DecoderLimits? limits = null)
{
    /// <summary>The item transforms, run in validation mode.</summary>
    public IReadOnlyList<IItemTransform> ItemTfms { get; } = itemTfms;
    /// <summary>The batch transforms, run in validation mode.</summary>
    public IReadOnlyList<IBatchTransform> BatchTfms { get; } = batchTfms;
    /// <summary>The normalisation applied last, or null for none.</summary>
    public Normalize? Normalization { get; } = normalization;

    /// <summary>Images (file paths or <see cref="RgbImage"/>s) as a normalised batch on <paramref name="device"/>, with their original sizes.</summary>
    public (Tensor X, IReadOnlyList<(int Width, int Height)> Sizes) Prepare(IReadOnlyList<object> images, Device device)
    {
        if (images.Count == 0) throw new ArgumentException("No image to prepare.", nameof(images));
        var samples = new List<ImageSample>();
        var sizes = new List<(int, int)>();
        try
        {
            foreach (var x in images)
            {
                var image = x switch
                {
                    string path => ImageDecoder.Load(path, limits),
                    RgbImage memory => memory.ToImageSharp(),
                    _ => throw new ArgumentException($"Cannot predict on a {x?.GetType().Name ?? "null"}: pass an image path or an RgbImage."),
                };
                sizes.Add((image.Width, image.Height));
                var sample = new ImageSample(image);
                samples.Add(sample);
                foreach (var t in ItemTfms) t.Apply(sample, training: false, new Random(0));
            }
            if (samples.Any(s => s.Width != samples[0].Width || s.Height != samples[0].Height))
                throw new InvalidDataException("Images of one prediction call must have one size after the item transforms; predict them one at a time or add a Resize.");
            return ToBatch(samples, device, sizes);
        }
        finally
        {
            foreach (var s in samples) s.Dispose();
        }
    }

    // Each image copied once, into the batch buffer.
    (Tensor X, IReadOnlyList<(int Width, int Height)> Sizes) ToBatch(List<ImageSample> samples, Device device, List<(int, int)> sizes)
    {
        using var scope = NewDisposeScope();
        int h = samples[0].Height, w = samples[0].Width, plane = h * w * 3;
        var pixels = new byte[samples.Count * plane];
        for (int i = 0; i < samples.Count; i++) samples[i].Image.CopyPixelDataTo(pixels.AsSpan(i * plane, plane));
        var x0 = HostToDevice.Images(pixels, samples.Count, h, w, device);
        var batch = new BatchTensors(x0);
        foreach (var t in BatchTfms) t.Apply(batch, training: false, new Random(0));
        Normalization?.Apply(batch, false, new Random(0));
        return (batch.Images.MoveToOuterDisposeScope(), sizes);
    }
}
