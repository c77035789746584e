LOAD = r'''
using System.IO;

// Loads MultiLabel.Interactive: the local build when this notebook runs inside the repository
// (scripts/pack-local.sh writes artifacts/packages), the published package otherwise.
// The CPU libtorch is skipped when MULTILABEL_LIBTORCH names another one (e.g. PyTorch's torch/lib on a GPU machine).
var repo = new DirectoryInfo(Environment.CurrentDirectory);
while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "MultiLabel.Interactive.sln"))) repo = repo.Parent;
var feed = repo is null ? null : Path.Combine(repo.FullName, "artifacts", "packages");
var load = (feed is not null && Directory.Exists(feed) ? $"#i \"nuget:{feed}\"\n" : "")
    + (Environment.GetEnvironmentVariable("MULTILABEL_LIBTORCH") is null ? "#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"\n" : "")
    + "#r \"nuget: MultiLabel.Interactive, *-*\"";
var loaded = await Microsoft.DotNet.Interactive.Kernel.Root.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode(load, "csharp"));
if (loaded.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>().FirstOrDefault() is { } failed)
    throw new InvalidOperationException($"Loading MultiLabel.Interactive failed: {failed.Message}");
'''
