using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>fastai's GatherPredsCallback: during validation, keeps each batch's activated outputs (the loss's
/// activation: probabilities, or the values themselves) and targets on the CPU, with the items' positions and
/// original sizes and the loss. <see cref="Learner.GetPreds"/> is the validation loop with this callback.</summary>
public sealed class GatherPredsCallback : Callback
{
    readonly List<float> activations = [];
    readonly List<float> targets = [];
    readonly List<int> positions = [];
    readonly List<(int, int)> sizes = [];
    double lossSum;
    int width;

    /// <summary>Gathers validation (and get_preds) batches only.</summary>
    public override bool RunTrain => false;

    /// <inheritdoc/>
    public override void AfterLoss()
    {
        if (Learner.CurrentBatch is not { } batch || Learner.Output is not { } output) return;
        var act = Learner.Loss.Activation(output).to(ScalarType.Float32).reshape(batch.Count, -1).cpu();
        width = (int)act.shape[1];
        activations.AddRange(act.data<float>().ToArray());
        targets.AddRange(batch.Y.to(ScalarType.Float32).reshape(batch.Count, -1).cpu().data<float>().ToArray());
        positions.AddRange(batch.Positions);
        sizes.AddRange(batch.OriginalSizes);
        lossSum += (Learner.LastLoss ?? double.NaN) * batch.Count;
    }

    /// <summary>What was gathered, [N, K] row-major.</summary>
    public Predictions Result() =>
        new(activations.ToArray(), targets.ToArray(), positions.Count, width, positions.ToList(), sizes.ToList(), positions.Count == 0 ? double.NaN : lossSum / positions.Count);
}
