using System.Runtime.InteropServices;

namespace MultiLabel.Native;

/// <summary>The glibc call start-up needs: mallopt, to raise the allocator's mmap and trim thresholds.</summary>
static partial class LibC
{
    public const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD
    public const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD

    [LibraryImport("libc", EntryPoint = "mallopt")]
    public static partial int MallOpt(int param, int value);
}
