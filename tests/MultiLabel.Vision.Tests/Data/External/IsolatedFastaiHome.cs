using MultiLabel.Vision.Data.External;
using Xunit;

namespace MultiLabel.Vision.Tests.Data.External;

/// <summary>A fresh FASTAI_HOME per test, no mirror or checks file, and UntarData's lines captured.</summary>
public abstract class IsolatedFastaiHome : IDisposable
{
    private protected readonly TempFolder sandbox = new();
    readonly Dictionary<string, string?> previous = new();
    readonly TextWriter? previousLog = ExternalData.Log;
    private protected readonly StringWriter log = new();

    protected IsolatedFastaiHome()
    {
        foreach (var name in new[] { FastaiConfig.HomeVariable, ExternalData.MirrorVariable, "MULTILABEL_DOWNLOAD_CHECKS" })
            previous[name] = Environment.GetEnvironmentVariable(name);
        Set(FastaiConfig.HomeVariable, Home);
        Set(ExternalData.MirrorVariable, null);
        Set("MULTILABEL_DOWNLOAD_CHECKS", null);
        ExternalData.Log = log;
    }

    /// <summary>FASTAI_HOME, inside the sandbox so that a test can see whether anything landed beside it.</summary>
    private protected string Home => Path.Combine(sandbox.Path, "fastai");
    private protected string ArchiveFolder => Path.Combine(Home, "archive");
    private protected string DataFolder => Path.Combine(Home, "data");

    private protected static void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);

    /// <summary>Every file and folder under the sandbox, relative to it.</summary>
    private protected IReadOnlyList<string> Everything() =>
        Directory.EnumerateFileSystemEntries(sandbox.Path, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(sandbox.Path, p)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Files in archive/ other than the lock file (which fastdownload leaves too).</summary>
    private protected IReadOnlyList<string> ArchiveFiles() =>
        Directory.Exists(ArchiveFolder) ? Directory.GetFiles(ArchiveFolder).Select(f => Path.GetFileName(f)).Where(n => !n.EndsWith(".lock", StringComparison.Ordinal)).ToList() : [];

    public void Dispose()
    {
        foreach (var (name, value) in previous) Set(name, value);
        ExternalData.Log = previousLog;
        sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Tests that set FASTAI_HOME or the data mirror run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FastaiHomeCollection
{
    public const string Name = "FASTAI_HOME";
}
