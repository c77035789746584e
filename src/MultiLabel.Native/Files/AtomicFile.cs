namespace MultiLabel.Vision.Files;

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

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
