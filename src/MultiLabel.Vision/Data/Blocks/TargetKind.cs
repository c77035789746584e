namespace MultiLabel.Vision.Data.Blocks;

/// <summary>What a target block produces; decides the default loss and how predictions decode.</summary>
public enum TargetKind
{
    /// <summary>One-hot over a vocabulary; BCE with logits; decode by threshold.</summary>
    MultiLabel,
    /// <summary>One label of a vocabulary; cross-entropy; decode by argmax.</summary>
    Category,
    /// <summary>Keypoints scaled to [-1, 1]; MSE.</summary>
    Points,
    /// <summary>Real numbers; MSE.</summary>
    Regression,
}
