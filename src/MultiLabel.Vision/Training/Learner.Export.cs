using MultiLabel.Vision.Serialization;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>Export and load (fastai's <c>learn.export()</c> and <c>load_learner</c>), in the one format
/// <see cref="ExportConfig"/> describes.</summary>
public sealed partial class Learner
{
    /// <summary>fastai's <c>learn.export()</c>: writes the model with fastai's names and what rebuilds its inference
    /// pipeline into one zip at <paramref name="path"/> (by convention <c>.mlx</c>): exactly the two files
    /// <see cref="ExportPyTorch"/> writes. <see cref="Load"/> reads it back for prediction.</summary>
    public void Export(string path) => LearnerExport.WriteMlx(this, path);

    /// <summary>The way out to PyTorch: the whole model as a state dict with fastai's <c>vision_learner</c> names at
    /// <paramref name="path"/> (<c>.pth</c>/<c>.pt</c>, which <c>torch.load</c> reads, or <c>.safetensors</c>) and beside it
    /// the same name with <c>.json</c> (<c>pytorch/multilabel_model.py</c> rebuilds the model from it). The way back is
    /// <see cref="Load"/>, or <c>VisionLearner.Create(..., pretrainedWeights:)</c> to train on here.</summary>
    public PyTorchExportFiles ExportPyTorch(string path) => LearnerExport.WritePyTorch(this, path);

    /// <summary>fastai's <c>load_learner</c>: loads an export for prediction, from <see cref="Export"/> (<c>.mlx</c>) or from
    /// <see cref="ExportPyTorch"/> (<c>.pth</c>, <c>.pt</c>, <c>.safetensors</c> with its <c>.json</c> beside it, also after
    /// training on in PyTorch). Errors name the file and what is wrong with it.</summary>
    public static ExportedLearner Load(string path, Device? device = null) => LearnerExport.Load(path, device);
}
