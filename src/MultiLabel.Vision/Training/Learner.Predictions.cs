using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;

namespace MultiLabel.Vision.Training;

public sealed partial class Learner
{
    /// <summary>The threshold multi-label predictions decode with (the BCE loss's, 0.5 by default).</summary>
    public float Threshold => Loss is BCEWithLogitsLossFlat bce ? bce.Threshold : 0.5f;

    /// <summary>Validation activations and targets (fastai's get_preds): the validation loop with a
    /// <see cref="GatherPredsCallback"/>. Deconstructs as <c>var (preds, targs) = learn.GetPreds();</c>.</summary>
    public Predictions GetPreds(bool valid = true, CancellationToken cancellation = default)
    {
        if (!valid) throw new ArgumentException("GetPreds on the training set is not supported (it is shuffled and augmented); use valid: true.", nameof(valid));
        var gather = new GatherPredsCallback();
        RunValidation([gather], cancellation, "get_preds");
        return gather.Result();
    }

    /// <summary>Predicts one image (a path or an <see cref="RgbImage"/>), as fastai's learn.predict.</summary>
    public Prediction Predict(object image) => Predict([image])[0];

    /// <summary>Predicts several images (paths or <see cref="RgbImage"/>s) in one batch; they must come out of the
    /// validation transforms at one size.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<object> images)
    {
        using var exclusive = Exclusive();
        Model.eval();
        return ImagePredictor.Predict(images, Dls.Inference, Dls.Device, x => Loss.Activation(Forward(x)), Dls.Target, Threshold);
    }

    /// <summary>Targets and predictions for the first <paramref name="maxItems"/> validation items, drawn on the images as the
    /// model sees them (fastai's show_results); points are in those images' pixels.</summary>
    public ResultsList ShowResults(int maxItems = 9)
    {
        if (maxItems < 1) throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, "maxItems must be at least 1.");
        // fastai's show_results: one validation batch, drawn, then predicted by the validation loop.
        var batch = Dls.Valid.OneBatch();
        ShowBatchData shown;
        try
        {
            shown = Dls.Show(batch, maxItems, Dls.Valid);
        }
        catch
        {
            batch.Dispose();
            throw;
        }
        var gather = new GatherPredsCallback();
        RunValidation([gather], default, "show_results", [batch]);
        var preds = gather.Result();
        var items = shown.Items.Select((item, i) =>
        {
            var predicted = Dls.Target.Decode(preds.Row(i), item.Image.Width, item.Image.Height, Threshold);
            return new ResultItem(item.Image, item.Decoded!, predicted, item.Location);
        }).ToList();
        return new ResultsList(items, shown.Rows, shown.Columns, Dls.Target);
    }
}

/// <summary>One validation item with its target and prediction, decoded.</summary>
public sealed record ResultItem(RgbImage Image, object Target, object Predicted, string Location);

/// <summary>show_results' data: items in fastai's grid.</summary>
public sealed record ResultsList(IReadOnlyList<ResultItem> Items, int Rows, int Columns, TargetBlock Target);
