using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

public sealed partial class Learner
{
    /// <summary>The threshold multi-label predictions decode with (the BCE loss's, 0.5 by default).</summary>
    public float Threshold => Loss is BCEWithLogitsLossFlat bce ? bce.Threshold : 0.5f;

    /// <summary>Validation (or training, unshuffled) activations and targets (fastai's get_preds).</summary>
    public Predictions GetPreds(bool valid = true, CancellationToken cancellation = default)
    {
        cancellation = Interruption.Resolve(cancellation);
        using var exclusive = Exclusive();
        var loader = valid ? Dls.Valid : Dls.Train;
        if (!valid && loader.Training) throw new ArgumentException("GetPreds on the training set is not supported (it is shuffled and augmented); use valid: true.");
        Model.eval();
        var activations = new List<float>();
        var targets = new List<float>();
        var positions = new List<int>();
        var sizes = new List<(int, int)>();
        double total = 0;
        int width = 0;
        using var _ = no_grad();
        foreach (var batch in loader)
        {
            if (cancellation.IsCancellationRequested)
            {
                batch.Dispose();
                throw new TrainingInterruptedException("get_preds", 0, positions.Count / Math.Max(1, loader.BatchSize), loader.Count, cancellation);
            }
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var output = Forward(batch.X);
                total += Loss.Compute(output, batch.Y).item<float>() * batch.Count;
                var act = Loss.Activation(output).to(ScalarType.Float32).reshape(batch.Count, -1).cpu();
                width = (int)act.shape[1];
                activations.AddRange(act.data<float>().ToArray());
                targets.AddRange(batch.Y.to(ScalarType.Float32).reshape(batch.Count, -1).cpu().data<float>().ToArray());
                positions.AddRange(batch.Positions);
                sizes.AddRange(batch.OriginalSizes);
            }
        }
        return new Predictions(activations.ToArray(), targets.ToArray(), positions.Count, width, positions, sizes, positions.Count == 0 ? double.NaN : total / positions.Count);
    }

    /// <summary>Predicts one image (a path or an <see cref="RgbImage"/>), as fastai's learn.predict.</summary>
    public Prediction Predict(object image) => Predict([image])[0];

    public IReadOnlyList<Prediction> Predict(IReadOnlyList<object> images)
    {
        Model.eval();
        using var scope = NewDisposeScope();
        var (x, sizes) = Dls.Inference.Prepare(images, Dls.Device);
        using var _ = no_grad();
        var act = Loss.Activation(Forward(x)).to(ScalarType.Float32).reshape(images.Count, -1).cpu().data<float>().ToArray();
        int k = act.Length / images.Count;
        return Enumerable.Range(0, images.Count).Select(i =>
        {
            var row = act[(i * k)..((i + 1) * k)];
            return new Prediction(DecodeActivations(Dls.Kind, Dls.Vocab, row, sizes[i].Width, sizes[i].Height, Threshold), row);
        }).ToList();
    }

    /// <summary>Turns activated outputs into labels or points (in an image of the given size).</summary>
    public static object DecodeActivations(TargetKind kind, Vocab? vocab, float[] row, int width, int height, float threshold) =>
        Decoding.Activations(kind, vocab, row, width, height, threshold);

    /// <summary>Targets and predictions for the first <paramref name="maxItems"/> validation items, drawn on the images as the
    /// model sees them (fastai's show_results); points are in those images' pixels.</summary>
    public ResultsList ShowResults(int maxItems = 9)
    {
        if (maxItems < 1) throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, "maxItems must be at least 1.");
        Model.eval();
        using var batch = Dls.Valid.OneBatch();
        using var scope = NewDisposeScope();
        int n = Math.Min(maxItems, batch.Count);
        Tensor output;
        using (no_grad()) output = Loss.Activation(Forward(batch.X)).to(ScalarType.Float32).reshape(batch.Count, -1).cpu();
        var shown = Dls.ShowBatch(n, valid: true);
        var act = output.data<float>().ToArray();
        int k = act.Length / batch.Count;
        var items = shown.Items.Select((item, i) =>
        {
            var predicted = DecodeActivations(Dls.Kind, Dls.Vocab, act[(i * k)..((i + 1) * k)], item.Image.Width, item.Image.Height, Threshold);
            object target = (object?)item.Labels ?? (object?)item.Points?.ToArray() ?? item.Title;
            return new ResultItem(item.Image, target, predicted, item.Location);
        }).ToList();
        return new ResultsList(items, shown.Rows, shown.Columns, Dls.Kind);
    }
}

/// <summary>One validation item with its target and prediction, decoded.</summary>
public sealed record ResultItem(RgbImage Image, object Target, object Predicted, string Location);

/// <summary>show_results' data: items in fastai's grid.</summary>
public sealed record ResultsList(IReadOnlyList<ResultItem> Items, int Rows, int Columns, TargetKind Kind);
