namespace MultiLabel.Native.Files;

/// <summary>
/// Writes a file so that a reader, or a process that dies at any moment, sees either the old file or the complete new
/// one: the content goes to a temporary file beside the target (unique per process and call, so racing writers do not
/// share one), is flushed to disk, then renamed over the target. A failed write removes its temporary file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, replacing any old file only once the new
    /// content is complete and on disk.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temp))
            {
                write(stream);
                // Writers such as PyBridge's SaveStateDict close the stream they are given.
                if (stream.CanWrite) stream.Flush(flushToDisk: true);
            }
            // fsync through a fresh handle as well, which covers a writer that closed the stream itself.
            using (var reopened = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) reopened.Flush(flushToDisk: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Removes the temporary files that writers of <paramref name="path"/> left when their process was killed
    /// (the process id in the name is no longer running). A live writer's file is left alone.</summary>
    public static void RemoveAbandoned(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) return;
        var prefix = $".{Path.GetFileName(full)}.";
        foreach (var temp in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
        {
            var parts = Path.GetFileName(temp)[prefix.Length..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out int pid) || Running(pid)) continue;
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
