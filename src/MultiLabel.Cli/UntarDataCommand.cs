using MultiLabel.Views;
using MultiLabel.Vision.Data.External;
using MultiLabel.Vision.Downloads;

namespace MultiLabel.Cli;

/// <summary>`multilabel untar-data`: fastai's untar_data from the command line (a dataset into fastai's cache before a
/// notebook needs it); prints the extracted folder.</summary>
static class UntarDataCommand
{
    public static int Run(Options options)
    {
        var name = options.Text("name", "PASCAL_2007");
        var archive = Urls.All.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? (Uri.TryCreate(name, UriKind.Absolute, out var address) && address.Scheme is "http" or "https"
                ? new DataArchive(Path.GetFileName(address.AbsolutePath), address, DownloadCheck.None)
                : throw new ArgumentException($"option '--name' must be one of {string.Join(", ", Urls.All.Select(a => a.Name))} or an http(s) address, got '{name}'"));
        bool force = options.Text("force", "no") switch
        {
            "yes" => true,
            "no" => false,
            var other => throw new ArgumentException($"option '--force' must be yes or no, got '{other}'"),
        };
        Downloader.DefaultProgress = ConsoleDownloadProgress.For;
        ExternalData.Log = Console.Error;
        try
        {
            Console.WriteLine(ExternalData.UntarData(archive, force));
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 4;
        }
    }
}
