using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Serialization;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>fastai's <c>predict</c> for new images, shared by a <see cref="Learner"/> and an <see cref="ExportedLearner"/>:
/// the inference pipeline, one forward pass in eval mode without gradients, the loss's activation, and the target
/// block's decoding (points in the pixels of each original image).</summary>
internal static class ImagePredictor
{
    public static IReadOnlyList<Prediction> Predict(IReadOnlyList<object> images, InferencePipeline pipeline, Device device,
        Func<Tensor, Tensor> activatedForward, TargetBlock target, float threshold)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        using var scope = NewDisposeScope();
        var (x, sizes) = pipeline.Prepare(images, device);
        float[] activations;
        using (no_grad())
            activations = activatedForward(x).to(ScalarType.Float32).reshape(images.Count, -1).cpu().data<float>().ToArray();
        int k = activations.Length / images.Count;
        return Enumerable.Range(0, images.Count).Select(i =>
        {
            var row = activations[(i * k)..((i + 1) * k)];
            var decoded = target.Decode(row, sizes[i].Width, sizes[i].Height, threshold);
            return new Prediction(decoded, row, target.DescribeDecoded(decoded));
        }).ToList();
    }
}
