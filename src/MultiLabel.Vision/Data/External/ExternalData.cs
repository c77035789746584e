using MultiLabel.Vision.Downloads;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// fastai's <c>untar_data</c>: a published dataset downloaded into fastai's <c>archive</c> folder, checked as fastai
/// checks it, and extracted into its <c>data</c> folder (<see cref="FastaiConfig"/>), so a machine that already has
/// fastai's cache uses it as it is, without the network. <c>using static MultiLabel.Vision.Data.External.ExternalData;</c>
/// then <c>var path = UntarData(Urls.Pascal2007);</c> reads as the book does.
/// </summary>
public static class ExternalData
{
    /// <summary>Environment variable naming a folder address that serves the archives under their own file names (a
    /// mirror, or a test server); with <see cref="DownloadChecksFile.Variable"/> its archives may carry their own checks.</summary>
    public const string MirrorVariable = "MULTILABEL_DATA_URL";

    /// <summary>Where status lines go: by default the current <see cref="Console.Out"/>, read at each line (a notebook
    /// kernel redirects it to the running cell). Null writes nothing.</summary>
    public static TextWriter? Log
    {
        get => logSet ? log : Console.Out;
        set => (log, logSet) = (value, true);
    }

    static TextWriter? log;
    static bool logSet;

    /// <summary>
    /// The extracted folder of <paramref name="archive"/> (<c>~/.fastai/data/pascal_2007</c>), downloading and extracting
    /// it first when it is not there, or again with <paramref name="force"/>. A download that fails or does not match its
    /// check throws <see cref="DataDownloadException"/> saying where to copy the archive by hand; an archive with an entry
    /// that would land outside the folder throws <see cref="UnsafeArchiveException"/>. Either way nothing half-written
    /// stays in fastai's folders. Two processes at once: one downloads and extracts, the other waits and uses its result.
    /// </summary>
    public static string UntarData(DataArchive archive, bool force = false, ExtractionLimits? limits = null,
        DownloadOptions? options = null, CancellationToken cancellation = default)
    {
        archive = DownloadChecksFile.Apply(archive);
        var config = FastaiConfig.Load();
        var destination = Path.Combine(config.Data, archive.FolderName);
        if (!force && Directory.Exists(destination)) return Checked(archive, destination, "found in fastai's data folder");

        var archivePath = Path.Combine(config.Archive, archive.FileName);
        using var held = FileLock.Acquire(archivePath + ".lock", TimeSpan.FromHours(2),
            () => Log?.WriteLine($"waiting for another process that is downloading or extracting {archive.FileName}"), cancellation);
        if (!force && Directory.Exists(destination)) return Checked(archive, destination, "extracted by another process");
        RemoveAbandonedExtractions(config.Data, archive.FolderName);

        bool download = force || !File.Exists(archivePath);
        if (!download && Mismatch(archive, archivePath) is { } stale)
        {
            // fastdownload's behaviour for an archive that fails its check: download it again.
            Log?.WriteLine($"{archivePath} does not match its check ({stale}): downloading a new version of this dataset");
            download = true;
        }
        if (download) Download(archive, archivePath, destination, options, cancellation);

        var staging = Path.Combine(config.Data, $".{archive.FolderName}.{Environment.ProcessId}.{Guid.NewGuid():N}.extracting");
        try
        {
            Log?.WriteLine($"extracting {archivePath} into {destination}");
            SafeTar.Extract(archivePath, staging, limits ?? ExtractionLimits.ForArchiveOf(new FileInfo(archivePath).Length), cancellation);
            var content = SingleFolder(staging) ?? staging;
            if (archive.Layout?.Problem(content) is { } problem)
                throw new InvalidDataException($"{archivePath} does not hold {archive.Name} as expected ({archive.Layout.Description}): {problem}.");
            if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true); // force
            Directory.Move(content, destination); // one rename: the folder is complete or absent
            return destination;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// <see cref="UntarData(DataArchive, bool, ExtractionLimits?, DownloadOptions?, CancellationToken)"/>, or the bundled
    /// stand-in <c>datasets/<paramref name="orBundled"/></c> of this repository when the archive cannot be had (offline,
    /// a failed check, a refused archive); one line on <see cref="Log"/> says so and why.
    /// </summary>
    public static string UntarData(DataArchive archive, string orBundled)
    {
        try
        {
            return UntarData(archive);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or TimeoutException)
        {
            var bundled = BundledDatasets.Find(orBundled);
            Log?.WriteLine($"Using the bundled stand-in {bundled}, as {archive.Name} could not be had: {e.Message}");
            return bundled;
        }
    }

    /// <summary>fastcore's <c>path.ls()</c>: the files and folders directly in <paramref name="folder"/>, full paths in
    /// ordinal order (fastcore lists in the file system's order, which differs between machines).</summary>
    public static string[] Ls(string folder) =>
        Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Order(StringComparer.Ordinal).ToArray()
            : throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");

    /// <summary>The address an archive is downloaded from: <see cref="MirrorVariable"/>'s folder when set.</summary>
    public static Uri AddressOf(DataArchive archive) =>
        Environment.GetEnvironmentVariable(MirrorVariable) is { Length: > 0 } mirror
            ? new Uri(new Uri(mirror.EndsWith('/') ? mirror : mirror + "/"), archive.FileName)
            : archive.Address;

    static void Download(DataArchive archive, string archivePath, string destination, DownloadOptions? options, CancellationToken cancellation)
    {
        var address = AddressOf(archive);
        try
        {
            Downloader.Download(address, archivePath, $"{archive.Name} ({archive.FileName})", archive.Check, options, cancellation: cancellation);
        }
        catch (DownloadException e)
        {
            var size = archive.Size is { } bytes ? $", {bytes:N0} bytes" : "";
            throw new DataDownloadException($"Could not download {archive.Name} from {address}: {e.Reason}. Without a network, copy " +
                $"{archive.FileName}{size} into {Path.GetDirectoryName(archivePath)}/ (it is checked and extracted on the next call), " +
                $"or put the extracted folder at {destination}; {FastaiConfig.HomeVariable} moves both.", e);
        }
    }

    static string? Mismatch(DataArchive archive, string path)
    {
        if (archive.Check.ExpectedSize is null) return null;
        var (found, md5) = DownloadCheck.Stats(path);
        return archive.Check == DownloadCheck.SizeAndMd5(found, md5) ? null : $"{found:N0} bytes, MD5 of the first MiB {md5}";
    }

    static string Checked(DataArchive archive, string folder, string how)
    {
        if (archive.Layout?.Problem(folder) is { } problem)
            throw new InvalidDataException($"{folder} ({how}) is not a complete {archive.Name} folder ({archive.Layout.Description}): " +
                $"{problem}. Delete it, or call UntarData with force: true to extract the archive again.");
        return folder;
    }

    /// <summary>fastcore's <c>untar_dir</c>: an archive holding one folder gives that folder, else the whole extraction.</summary>
    static string? SingleFolder(string staging)
    {
        var entries = Directory.GetFileSystemEntries(staging);
        return entries.Length == 1 && Directory.Exists(entries[0]) ? entries[0] : null;
    }

    /// <summary>Folders left by an extraction whose process was killed: the lock is held, so no extraction is under way.</summary>
    static void RemoveAbandonedExtractions(string data, string folderName)
    {
        if (!Directory.Exists(data)) return;
        foreach (var left in Directory.EnumerateDirectories(data, $".{folderName}.*.extracting"))
            Directory.Delete(left, recursive: true);
    }
}
