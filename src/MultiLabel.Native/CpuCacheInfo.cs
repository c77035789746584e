namespace MultiLabel.Native;

/// <summary>
/// Whether the kernel reports CPU cache sizes. oneDNN sizes its convolution blocking from them; on some
/// virtual machines they are absent and oneDNN's ResNet-50 backward pass kills the process, so start-up
/// turns oneDNN (mkldnn) off there and only there.
/// </summary>
public static class CpuCacheInfo
{
    const string CacheFolder = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>True when cpu0 lists at least a level-1 data cache and a level-2 cache with non-zero sizes.</summary>
    public static bool IsReported(string cacheFolder = CacheFolder)
    {
        if (!Directory.Exists(cacheFolder)) return false;
        var levels = new HashSet<string>();
        foreach (var index in Directory.EnumerateDirectories(cacheFolder, "index*"))
        {
            var level = ReadTrimmed(Path.Combine(index, "level"));
            var size = ReadTrimmed(Path.Combine(index, "size"));
            if (level is null || string.IsNullOrEmpty(size) || size.StartsWith('0')) continue;
            levels.Add(level);
        }
        return levels.Contains("1") && levels.Contains("2");
    }

    static string? ReadTrimmed(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path).Trim() : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
