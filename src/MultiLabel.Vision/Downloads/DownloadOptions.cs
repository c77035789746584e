namespace MultiLabel.Vision.Downloads;

/// <summary>How long a download may take. A machine whose network drops packets fails after <see cref="ConnectTimeout"/>
/// instead of hanging; a transfer that stops moving fails after <see cref="StallTimeout"/> instead of showing a stuck bar.</summary>
public sealed record DownloadOptions
{
    /// <summary>The time to open a connection to the server.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>The time for the whole transfer (PASCAL 2007 is 1.6 GB: the default allows about 460 kB/s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>The longest wait for the next bytes once the transfer has started.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The defaults.</summary>
    public static DownloadOptions Default { get; } = new();
}
