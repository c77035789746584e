using MultiLabel.Vision.Transforms;
using TorchSharp;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>How DataLoaders batch and where they put the tensors.</summary>
/// <param name="BatchSize">Items per batch.</param>
/// <param name="Seed">Seeds shuffling and every random transform: the same seed gives the same batches.</param>
/// <param name="Device">Where batches go (CUDA when available, else CPU).</param>
/// <param name="Workers">Threads decoding and transforming items (0: on the caller's thread).</param>
/// <param name="Prefetch">Batches prepared ahead of the consumer.</param>
/// <param name="Presize">When set, decoded images whose shorter side exceeds it are first shrunk to it.</param>
/// <param name="CacheImages">Keep each decoded (and presized) image in memory for later epochs.</param>
/// <param name="Normalization">Applied last to every batch (ImageNet statistics by default).</param>
/// <param name="ReducedJpeg">Decode JPEGs at a reduced DCT scale when the item transforms need fewer pixels (faster).</param>
public sealed record LoaderOptions(int BatchSize, int Seed, torch.Device Device, int Workers, int Prefetch, int? Presize, bool CacheImages, Normalize? Normalization, bool ReducedJpeg = true)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Check()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batchSize must be at least 1.");
        if (Workers < 0) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "workers must be 0 or more.");
        if (Prefetch < 1) throw new ArgumentOutOfRangeException(nameof(Prefetch), Prefetch, "prefetch must be at least 1.");
        if (Presize is < 8) throw new ArgumentOutOfRangeException(nameof(Presize), Presize, "presize must be at least 8 pixels.");
    }
}
