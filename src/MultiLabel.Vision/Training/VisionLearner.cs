using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Serialization;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Training;

/// <summary>fastai's vision_learner: a ResNet body and fastai's head sized from the data, fastai's default loss for the
/// targets, the ResNet parameter split, and — when pretrained — frozen to the head.</summary>
public static class VisionLearner
{
    /// <summary>Builds the model (on the loaders' device) and the learner.</summary>
    /// <param name="dls">The data; the head gets <see cref="DataLoaders.OutputCount"/> outputs.</param>
    /// <param name="arch">resnet18, resnet34 or resnet50 (see <see cref="ResNets"/>).</param>
    /// <param name="pretrained">ImageNet weights: torchvision's, from PyTorch's cache or downloaded into it (resnet18 falls
    /// back to the bundled weights offline); the learner's summary says which were loaded.</param>
    /// <param name="metrics">Validation metrics, e.g. <c>new AccuracyMulti(threshold: 0.2f)</c>.</param>
    /// <param name="yRange">Keeps outputs in (low, high) with a sigmoid, e.g. (-1, 1) for points.</param>
    /// <param name="loss">Defaults to BCE (multi-label), cross-entropy (category) or MSE (points, regression).</param>
    /// <param name="pretrainedWeights">A state dict (.pth or .safetensors): torchvision's names fill the body; fastai's
    /// whole-model names (<see cref="Learner.ExportPyTorch"/>, or a model trained on in PyTorch) fill body and head.</param>
    /// <param name="seed">Seeds the head's initialisation (and torch's generator).</param>
    /// <param name="weightDecay">fastai's decoupled weight decay (not applied to BatchNorm parameters and biases).</param>
    /// <param name="trainBn">fastai's <c>train_bn</c>: whether the frozen body's BatchNorm parameters train (pair false with
    /// the <see cref="BnFreeze"/> callback, in <paramref name="callbacks"/>).</param>
    /// <param name="callbacks">Callbacks added to the learner (fastai's <c>cbs</c>).</param>
    /// <param name="weights">Which ImageNet weights (torchvision's multi-weight API): by default IMAGENET1K_V1, as fastai
    /// 2.7.12; <see cref="TorchvisionWeights.ResNet50V2"/>, or <see cref="CntkResNet18.Weights"/> for the bundled ResNet-18
    /// whatever the network.</param>
    /// <param name="optFunc">fastai's <c>opt_func</c>: makes the optimizer from the parameter groups (default fastai's Adam).</param>
    public static Learner Create(DataLoaders dls, Arch arch, bool pretrained = true, IEnumerable<IMetric>? metrics = null,
        (double Low, double High)? yRange = null, ILoss? loss = null, string? pretrainedWeights = null, int? seed = null, double weightDecay = 0.01,
        bool trainBn = true, IEnumerable<Callback>? callbacks = null, WeightsFile? weights = null,
        Func<IReadOnlyList<ParameterGroup>, IOptimizer>? optFunc = null)
    {
        if (weights is not null && pretrainedWeights is not null)
            throw new ArgumentException("Give weights (a published ImageNet file) or pretrainedWeights (a file of yours), not both.", nameof(weights));
        Native.TorchRuntime.Initialize();
        if (seed is { } s) manual_seed(s);
        var file = pretrainedWeights is null ? null : ReadWeights(pretrainedWeights);
        try
        {
            // A whole model (fastai's names: a PyTorch export, or one trained on with torchrun) brings its head too.
            bool whole = file is not null && FastaiKeys.AreWholeModel(file.Keys);
            PretrainedBody body;
            if (file is null)
                body = pretrained || weights is not null ? ResNets.ImageNetBody(arch, weights)
                    : new PretrainedBody(ResNets.Build(arch, cntkLayout: false), false, "random (not pretrained)");
            else
            {
                bool cntkFile = whole && arch == ResNets.ResNet18 && file.ContainsKey("0.7.2.conv1.weight");
                body = new PretrainedBody(ResNets.Build(arch, cntkFile), cntkFile,
                    whole ? $"the whole model from {Path.GetFileName(pretrainedWeights)}" : $"from {Path.GetFileName(pretrainedWeights)}");
                if (!whole) PyTorchWeights.Copy(body.Body, file, pretrainedWeights!, description: $"a {arch.Name} body");
            }
            var head = Head.Create(arch.Features, dls.OutputCount, yRange);
            var model = Sequential(("body", (Module<Tensor, Tensor>)body.Body), ("head", head));
            if (whole) LearnerExport.CopyWholeModel(model, file!, pretrainedWeights!, $"a {arch.Name} with {dls.OutputCount} outputs (fastai's names)");
            return Build(dls, arch, metrics, yRange, loss, weightDecay, trainBn, callbacks, optFunc, model, body.CntkLayout, body.Description,
                frozen: pretrained || pretrainedWeights is not null || weights is not null);
        }
        finally
        {
            if (file is not null) foreach (var t in file.Values) t.Dispose();
        }
    }

    static Dictionary<string, Tensor> ReadWeights(string path) =>
        File.Exists(path) ? PyTorchWeights.Read(path) : throw new FileNotFoundException($"The weights file '{path}' does not exist.", path);

    static Learner Build(DataLoaders dls, Arch arch, IEnumerable<IMetric>? metrics, (double Low, double High)? yRange, ILoss? loss, double weightDecay,
        bool trainBn, IEnumerable<Callback>? callbacks, Func<IReadOnlyList<ParameterGroup>, IOptimizer>? optFunc, TorchSharp.Modules.Sequential model, bool cntk, string weights, bool frozen)
    {
        var info = new ModelInfo(arch.Name, cntk, dls.OutputCount, yRange is { } r ? [r.Low, r.High] : null, weights);
        var learn = new Learner(dls, model, loss, metrics, arch.Split, weightDecay, info, optFunc) { TrainBn = trainBn };
        foreach (var cb in callbacks ?? []) learn.Add(cb);
        if (frozen) learn.Freeze();
        return learn;
    }

    /// <summary>The same, with the architecture by name (<c>"resnet18"</c>, <c>"resnet34"</c>, <c>"resnet50"</c>).</summary>
    /// <param name="dls">The data; the head gets <see cref="DataLoaders.OutputCount"/> outputs.</param>
    /// <param name="arch">The architecture's name (case-insensitive).</param>
    /// <param name="pretrained">Start from ImageNet weights.</param>
    /// <param name="metrics">Validation metrics.</param>
    /// <param name="yRange">Keeps outputs in (low, high) with a sigmoid.</param>
    /// <param name="loss">Defaults to the target block's loss.</param>
    /// <param name="pretrainedWeights">A state dict to start from instead of ImageNet's.</param>
    /// <param name="seed">Seeds the head's initialisation.</param>
    /// <param name="weightDecay">fastai's decoupled weight decay.</param>
    /// <param name="trainBn">fastai's <c>train_bn</c>.</param>
    /// <param name="callbacks">Callbacks added to the learner.</param>
    /// <param name="weights">Which ImageNet weights.</param>
    /// <param name="optFunc">fastai's <c>opt_func</c>.</param>
    public static Learner Create(DataLoaders dls, string arch, bool pretrained = true, IEnumerable<IMetric>? metrics = null,
        (double Low, double High)? yRange = null, ILoss? loss = null, string? pretrainedWeights = null, int? seed = null, double weightDecay = 0.01,
        bool trainBn = true, IEnumerable<Callback>? callbacks = null, WeightsFile? weights = null,
        Func<IReadOnlyList<ParameterGroup>, IOptimizer>? optFunc = null) =>
        Create(dls, ResNets.Get(arch), pretrained, metrics, yRange, loss, pretrainedWeights, seed, weightDecay, trainBn, callbacks, weights, optFunc);
}
