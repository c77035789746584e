namespace MultiLabel.Vision.Data.Loading;

/// <summary>A batch as the CPU workers leave it: pixels (B×H×W×3 bytes) and encoded targets (B×L floats), plus
/// each item's position in its split and its original image size.</summary>
sealed record CollatedBatch(int Index, int[] Positions, byte[] Pixels, int Height, int Width, float[] Targets, int TargetLength, (int Width, int Height)[] OriginalSizes)
{
    public int Count => Positions.Length;
}
