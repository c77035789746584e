namespace MultiLabel.Vision.Downloads;

/// <summary>A download that failed, was cut short or did not match its check. Nothing was kept at <see cref="Target"/>.</summary>
public class DownloadException(Uri address, string target, string reason, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>Where the file was asked for.</summary>
    public Uri Address { get; } = address;
    /// <summary>Where it would have been written.</summary>
    public string Target { get; } = target;
    /// <summary>What went wrong, in a few words ("the server answered 404 Not Found").</summary>
    public string Reason { get; } = reason;
}
