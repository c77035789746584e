namespace MultiLabel.Vision.Data.External;

/// <summary>A dataset that could not be had: the message names the address, where to copy the archive by hand and which
/// folder to point at instead.</summary>
public sealed class DataDownloadException(string message, Exception? inner = null) : IOException(message, inner);
