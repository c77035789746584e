namespace MultiLabel.Vision.Data;

/// <summary>Stable seeds derived from a base seed and counters (epoch, item, batch), independent of thread
/// scheduling and of the process (unlike HashCode), so that a seeded run is reproducible.</summary>
public static class Seeds
{
    /// <summary>A non-negative seed from <paramref name="seed"/> and the counters <paramref name="parts"/> (SplitMix64).</summary>
    public static int Mix(int seed, params int[] parts)
    {
        ulong state = (ulong)(uint)seed;
        foreach (var part in parts) state = SplitMix(state ^ (ulong)(uint)part * 0x9E3779B97F4A7C15UL);
        return (int)(SplitMix(state) & 0x7FFFFFFF);
    }

    static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
