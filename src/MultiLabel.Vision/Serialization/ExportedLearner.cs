using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Training;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Serialization;

/// <summary>A loaded exported learner: predicts new images exactly as the learner it was saved from.</summary>
public sealed class ExportedLearner(nn.Module<Tensor, Tensor> model, TargetBlock target, float threshold, InferencePipeline pipeline, Device device, string arch) : IDisposable
{
    readonly Func<Tensor, Tensor> activation = target.DefaultLoss().Activation;

    /// <summary>The model, in evaluation mode on the device it was loaded to.</summary>
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    /// <summary>The fitted target block the learner was trained with (its vocabulary, its decoding).</summary>
    public TargetBlock Target { get; } = target;
    /// <summary>What kind of target the model predicts (the block's <see cref="TargetBlock.Kind"/>).</summary>
    public string Kind => Target.Kind;
    /// <summary>The labels for multi-label and single-label models; null otherwise.</summary>
    public Vocab? Vocab => Target.Vocab;
    /// <summary>The decoding threshold of a multi-label model.</summary>
    public float Threshold { get; } = threshold;
    /// <summary>The body's architecture name, e.g. resnet18.</summary>
    public string Arch { get; } = arch;

    /// <summary>Predicts one image (a path or an <see cref="Imaging.RgbImage"/>), as fastai's <c>learn.predict</c> after <c>load_learner</c>.</summary>
    public Prediction Predict(object image) => Predict([image])[0];

    /// <summary>Predicts several images in one batch.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<object> images) =>
        ImagePredictor.Predict(images, pipeline, device, x => activation(Model.call(x)), Target, Threshold);

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
