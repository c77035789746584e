using MultiLabel.Vision.Downloads;

namespace MultiLabel.Vision.Models.Pretrained;

/// <summary>One of torchvision's published weight files: its name carries the first hex digits of its SHA-256.</summary>
public sealed record WeightsFile(string Arch, string FileName, string Description)
{
    /// <summary>The hash prefix in the file name (<c>resnet50-0676ba61.pth</c> → <c>0676ba61</c>).</summary>
    public string HashPrefix => Path.GetFileNameWithoutExtension(FileName).Split('-')[^1];
}

/// <summary>
/// torchvision's ImageNet weights, fetched as PyTorch fetches them: from the official download address into PyTorch's
/// own cache (<c>$TORCH_HOME/hub/checkpoints</c>, by default <c>~/.cache/torch/hub/checkpoints</c>), so a machine that
/// already has them from PyTorch reuses them. A download is checked against the hash prefix in the file's name and
/// written to a temporary file that is renamed only when complete.
/// </summary>
public static class TorchvisionWeights
{
    /// <summary>Where torchvision publishes its weights (<see cref="RootVariable"/> overrides it).</summary>
    public static readonly Uri DownloadRoot = new("https://download.pytorch.org/models/");

    /// <summary>Environment variable naming another address to download from (a mirror, or a test server).</summary>
    public const string RootVariable = "MULTILABEL_WEIGHTS_URL";

    /// <summary>IMAGENET1K_V1, the weights fastai used when the book was written.</summary>
    public static readonly WeightsFile ResNet18 = new("resnet18", "resnet18-f37072fd.pth", "torchvision ResNet-18, IMAGENET1K_V1");
    /// <summary>IMAGENET1K_V1 for ResNet-34.</summary>
    public static readonly WeightsFile ResNet34 = new("resnet34", "resnet34-b627a593.pth", "torchvision ResNet-34, IMAGENET1K_V1");
    /// <summary>IMAGENET1K_V1 for ResNet-50.</summary>
    public static readonly WeightsFile ResNet50 = new("resnet50", "resnet50-0676ba61.pth", "torchvision ResNet-50, IMAGENET1K_V1");
    /// <summary>IMAGENET1K_V2: torchvision's newer recipe, an option.</summary>
    public static readonly WeightsFile ResNet50V2 = new("resnet50", "resnet50-11ad3fa6.pth", "torchvision ResNet-50, IMAGENET1K_V2");

    /// <summary>The ImageNet weights fastai's <c>vision_learner</c> gets for <paramref name="arch"/> (IMAGENET1K_V1).</summary>
    public static WeightsFile For(Arch arch) => arch.Name switch
    {
        "resnet18" => ResNet18,
        "resnet34" => ResNet34,
        "resnet50" => ResNet50,
        _ => throw new ArgumentException($"No torchvision weights are known for {arch.Name}.", nameof(arch)),
    };

    /// <summary>Where downloads come from: <see cref="RootVariable"/> when set, else torchvision's address.</summary>
    public static Uri Root() =>
        Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } mirror ? Folder(mirror) : DownloadRoot;

    /// <summary>An address as a folder that file names resolve under (a trailing slash added when missing).</summary>
    public static Uri Folder(string address) => new(address.EndsWith('/') ? address : address + "/");

    /// <summary>PyTorch's cache folder for downloaded checkpoints.</summary>
    public static string CacheFolder()
    {
        var torchHome = Environment.GetEnvironmentVariable("TORCH_HOME");
        if (string.IsNullOrWhiteSpace(torchHome))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            torchHome = Path.Combine(!string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "torch");
        }
        return Path.Combine(torchHome, "hub", "checkpoints");
    }

    /// <summary>Which published files are in PyTorch's cache and where the others come from: a line for <c>#!device</c>
    /// and <c>multilabel info</c>.</summary>
    public static string Summary()
    {
        var cached = All.Where(f => Cached(f) is not null).Select(f => f.FileName).ToList();
        return $"{(cached.Count > 0 ? string.Join(", ", cached) : "none")} in {CacheFolder()}; others from {Root()} on first use " +
               "(without them resnet18 uses the bundled weights)";
    }

    /// <summary>Every published file this project knows.</summary>
    public static IReadOnlyList<WeightsFile> All => [ResNet18, ResNet34, ResNet50, ResNet50V2];

    /// <summary>The cached file's path, or null when it is not in the cache.</summary>
    public static string? Cached(WeightsFile file)
    {
        var path = Path.Combine(CacheFolder(), file.FileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The file from the cache, or downloaded into it from <paramref name="root"/> (torchvision's address by default).
    /// Throws <see cref="WeightsDownloadException"/> naming the address and where to put the file by hand when the
    /// download fails, is cut short, or does not match the hash in its name; nothing is left in the cache then.
    /// </summary>
    public static string Fetch(WeightsFile file, Uri? root = null, TimeSpan? timeout = null,
        IProgress<(long Done, long? Total)>? progress = null, CancellationToken cancellation = default)
    {
        if (Cached(file) is { } cached) return cached;
        var uri = new Uri(root ?? Root(), file.FileName);
        var target = Path.Combine(CacheFolder(), file.FileName);
        try
        {
            var options = timeout is { } limit ? DownloadOptions.Default with { Timeout = limit } : WeightsOptions;
            return Downloader.Download(uri, target, file.Description, DownloadCheck.Sha256Prefix(file.HashPrefix), options, progress, cancellation);
        }
        catch (DownloadException e)
        {
            throw new WeightsDownloadException($"Could not download {file.Description} from {uri}: {e.Reason}. Without a network, copy {file.FileName} " +
                $"(from PyTorch's cache on another machine, or from that address) to {target}, pass pretrainedWeights: a file, " +
                "or pretrained: false.", e);
        }
    }

    /// <summary>ResNet-50's 98 MB in at most ten minutes, as before the downloader was shared with datasets.</summary>
    static readonly DownloadOptions WeightsOptions = DownloadOptions.Default with { Timeout = TimeSpan.FromMinutes(10) };
}

/// <summary>A weights download that failed; the message names the address and where to put the file by hand.</summary>
public sealed class WeightsDownloadException(string message, Exception? inner = null) : IOException(message, inner);
