using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Tensors;
using MultiLabel.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>
/// What validation does to an image, for prediction on new images: decode, item transforms in validation mode, batch
/// transforms in validation mode (e.g. the resize of AugTransforms), normalisation. Items of one call must come out the
/// same size, as in a batch.
/// </summary>
public sealed class InferencePipeline(IReadOnlyList<IItemTransform> itemTfms, IReadOnlyList<IBatchTransform> batchTfms, Normalize? normalization, DecoderLimits? limits = null)
{
    public IReadOnlyList<IItemTransform> ItemTfms { get; } = itemTfms;
    public IReadOnlyList<IBatchTransform> BatchTfms { get; } = batchTfms;
    public Normalize? Normalization { get; } = normalization;

    /// <summary>Images (file paths or <see cref="RgbImage"/>s) as a normalised batch on <paramref name="device"/>, with their original sizes.</summary>
    public (Tensor X, IReadOnlyList<(int Width, int Height)> Sizes) Prepare(IReadOnlyList<object> images, Device device)
    {
        if (images.Count == 0) throw new ArgumentException("No image to prepare.", nameof(images));
        var decoded = new List<RgbImage>();
        var sizes = new List<(int, int)>();
        foreach (var x in images)
        {
            using var image = x switch
            {
                string path => ImageDecoder.Load(path, limits),
                RgbImage memory => memory.ToImageSharp(),
                _ => throw new ArgumentException($"Cannot predict on a {x?.GetType().Name ?? "null"}: pass an image path or an RgbImage."),
            };
            sizes.Add((image.Width, image.Height));
            using var sample = new ImageSample(image.Clone());
            foreach (var t in ItemTfms) t.Apply(sample, training: false, new Random(0));
            decoded.Add(RgbImage.From(sample.Image));
        }
        if (decoded.Any(d => d.Width != decoded[0].Width || d.Height != decoded[0].Height))
            throw new InvalidDataException("Images of one prediction call must have one size after the item transforms; predict them one at a time or add a Resize.");
        using var scope = NewDisposeScope();
        int h = decoded[0].Height, w = decoded[0].Width;
        var pixels = decoded.SelectMany(d => d.Pixels).ToArray();
        var x0 = HostToDevice.Images(pixels, decoded.Count, h, w, device);
        var batch = new BatchTensors(x0);
        foreach (var t in BatchTfms) t.Apply(batch, training: false, new Random(0));
        Normalization?.Apply(batch, false, new Random(0));
        return (batch.Images.MoveToOuterDisposeScope(), sizes);
    }
}
