namespace MultiLabel.Vision.Data.External;

/// <summary>
/// An exclusive lock on a file, held while one process downloads and extracts a dataset; another process waits for it.
/// On Linux and macOS .NET takes it with <c>flock</c>, as fastdownload locks <c>archive/NAME.tgz.lock</c>, so this
/// package and fastai running at once on the same cache also wait for each other.
/// </summary>
sealed class FileLock : IDisposable
{
    readonly FileStream stream;

    FileLock(FileStream stream) => this.stream = stream;

    public static FileLock Acquire(string path, TimeSpan timeout, Action? waiting = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        bool told = false;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told) { waiting?.Invoke(); told = true; }
                cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
                cancellation.ThrowIfCancellationRequested();
            }
            catch (IOException e)
            {
                throw new TimeoutException($"{path} stayed locked by another process for {timeout.TotalMinutes:0} min", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
