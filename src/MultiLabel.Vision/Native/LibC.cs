using System.Runtime.InteropServices;

namespace MultiLabel.Vision.Native;

/// <summary>The few glibc calls start-up needs. Environment.SetEnvironmentVariable does not reach the
/// native environment on Unix, so variables read by libtorch at load time go through setenv.</summary>
static partial class LibC
{
    public const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD
    public const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr GetEnvPointer(string name);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    public static partial int MallOpt(int param, int value);

    public static string? GetEnv(string name)
    {
        var p = GetEnvPointer(name);
        return p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
    }

    /// <summary>Sets a variable in both the native and the managed environment, unless the user set it.</summary>
    public static void SetDefault(string name, string value)
    {
        if (GetEnv(name) is not null || Environment.GetEnvironmentVariable(name) is not null) return;
        SetEnv(name, value, 0);
        Environment.SetEnvironmentVariable(name, value);
    }
}
