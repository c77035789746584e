using MultiLabel.Vision.Data.Blocks;

namespace MultiLabel.Vision.Training;

/// <summary>How a vision model was built, enough to rebuild it for export/load.</summary>
public sealed record ModelInfo(string Arch, bool CntkLayout, int Outputs, double[]? YRange);
