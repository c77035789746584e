namespace MultiLabel.Vision.Data.External;

/// <summary>An archive refused whole: an entry would land outside the destination, is a device or FIFO, or the archive
/// exceeds its limits. Nothing was written outside the destination, and no partial folder was kept.</summary>
public sealed class UnsafeArchiveException(string archive, string entry, string reason)
    : IOException($"Refused to extract {archive}: the entry '{entry}' {reason}. Nothing was extracted.")
{
    /// <summary>The archive's path.</summary>
    public string Archive { get; } = archive;
    /// <summary>The entry's name as the archive gives it.</summary>
    public string Entry { get; } = entry;
}
