namespace MultiLabel.Vision.Training;

/// <summary>How a vision model was built, enough to rebuild it for export/load, and which weights its body started
/// from (shown in the learner's summary).</summary>
public sealed record ModelInfo(string Arch, bool CntkLayout, int Outputs, double[]? YRange, string? Weights = null)
{
    /// <summary>What the model is, as summaries show it: <c>resnet18 body + fastai head → 20 outputs</c>.</summary>
    public override string ToString() => $"{Arch} body + fastai head → {Outputs} outputs";
}
