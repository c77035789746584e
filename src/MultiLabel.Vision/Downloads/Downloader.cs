using System.Net;
using MultiLabel.Native.Files;

namespace MultiLabel.Vision.Downloads;

/// <summary>
/// The one downloader of the package, for model weights and datasets alike: one GET, the body checked while it streams
/// into a temporary file beside the target, renamed over the target only when complete and checked. Two processes
/// downloading the same file each write their own temporary file and the renames agree; a process killed mid-way leaves a
/// temporary file that the next download of that target removes. Progress goes to the caller's reporter, else to the one
/// <see cref="DefaultProgress"/> makes, created only once the server has answered (an offline call shows no bar).
/// </summary>
public static class Downloader
{
    /// <summary>Where a download without its own reporter reports to, by its description: a host sets it once (the notebook
    /// extension shows a live bar in the running cell, a console program a line). Null, or a factory returning null,
    /// reports nowhere.</summary>
    public static Func<string, IProgress<(long Done, long? Total)>?>? DefaultProgress { get; set; }

    /// <summary>"12.3 of 97.8 MB", or "12.3 MB" when the size is unknown: the progress text of every host.</summary>
    public static string Describe(long done, long? total) =>
        total is > 0 ? $"{Megabytes(done)} of {Megabytes(total.Value)} MB" : $"{Megabytes(done)} MB";

    static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Downloads <paramref name="address"/> to <paramref name="target"/>, which exists afterwards only if the body
    /// arrived whole and passed <paramref name="check"/>. Throws <see cref="DownloadException"/> with the reason otherwise.</summary>
    public static string Download(Uri address, string target, string description, DownloadCheck check, DownloadOptions? options = null,
        IProgress<(long Done, long? Total)>? progress = null, CancellationToken cancellation = default)
    {
        options ??= DownloadOptions.Default;
        target = Path.GetFullPath(target);
        AtomicFile.RemoveAbandoned(target);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        overall.CancelAfter(options.Timeout);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout }) { Timeout = Timeout.InfiniteTimeSpan };
            using var response = http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, overall.Token).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.OK)
                throw Failure($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            long? total = response.Content.Headers.ContentLength;
            if (check.ExpectedSize is { } size && total is { } announced && announced != size)
                throw Failure($"the server announced {announced:N0} bytes, expected {size:N0}");
            progress ??= DefaultProgress?.Invoke(description);
            AtomicFile.Write(target, output => Copy(response, output, check, total ?? check.ExpectedSize, progress, options, overall.Token));
            return target;
        }
        catch (DownloadException)
        {
            throw;
        }
        catch (HttpRequestException e)
        {
            throw Failure(e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw Failure($"it took longer than {options.Timeout.TotalSeconds:0} s", e);
        }
        catch (IOException e)
        {
            throw Failure(e.Message, e);
        }

        DownloadException Failure(string why, Exception? inner = null) =>
            new(address, target, why, $"Could not download {description} from {address}: {why}.", inner);
    }

    static void Copy(HttpResponseMessage response, Stream output, DownloadCheck check, long? total,
        IProgress<(long Done, long? Total)>? progress, DownloadOptions options, CancellationToken overall)
    {
        using var body = response.Content.ReadAsStream(overall);
        using var verifier = check.Start();
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(overall);
        var buffer = new byte[1 << 16];
        long done = 0;
        while (true)
        {
            stall.CancelAfter(options.StallTimeout);
            int read;
            try
            {
                read = body.ReadAsync(buffer, stall.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!overall.IsCancellationRequested)
            {
                throw new IOException($"no data for {options.StallTimeout.TotalSeconds:0} s after {done:N0} bytes");
            }
            if (read == 0) break;
            output.Write(buffer.AsSpan(0, read));
            verifier.Append(buffer.AsSpan(0, read));
            done += read;
            progress?.Report((done, total));
        }
        if (response.Content.Headers.ContentLength is { } announced && done != announced)
            throw new IOException($"the download stopped after {done:N0} of {announced:N0} bytes");
        if (verifier.Mismatch(done) is { } mismatch) throw new IOException(mismatch);
    }
}
