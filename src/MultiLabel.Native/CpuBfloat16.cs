namespace MultiLabel.Native;

/// <summary>
/// Whether the CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16 in /proc/cpuinfo). Where it does, libtorch's
/// oneDNN kernels make <c>learn.ToBf16()</c> faster on the CPU too; elsewhere bfloat16 is emulated and slower.
/// </summary>
public static class CpuBfloat16
{
    static readonly string[] NativeFlags = ["amx_bf16", "avx512_bf16"];

    /// <summary>The flag that shows native support, or null (none, or no /proc/cpuinfo).</summary>
    public static string? NativeFlag(string cpuinfo = "/proc/cpuinfo")
    {
        try
        {
            if (!File.Exists(cpuinfo)) return null;
            var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            if (flags is null) return null;
            var set = flags[(flags.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return NativeFlags.FirstOrDefault(set.Contains);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
