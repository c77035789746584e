using MultiLabel.Vision.Data.Blocks;

namespace MultiLabel.Vision.Training;

/// <summary>How a vision model was built, enough to rebuild it for export/load, and which weights its body started
/// from (shown in the learner's summary).</summary>
public sealed record ModelInfo(string Arch, bool CntkLayout, int Outputs, double[]? YRange, string? Weights = null);
