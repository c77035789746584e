using MultiLabel.Vision.Data.Blocks;

namespace MultiLabel.Vision.Losses;

/// <summary>fastai's default loss for each kind of target.</summary>
public static class Loss
{
    public static ILoss For(TargetKind kind) => kind switch
    {
        TargetKind.MultiLabel => new BCEWithLogitsLossFlat(),
        TargetKind.Category => new CrossEntropyLossFlat(),
        _ => new MSELossFlat(),
    };
}
