using System.Diagnostics;
using MultiLabel.Vision.Data.External;
using Xunit;

namespace MultiLabel.Vision.Tests.Data.External;

/// <summary>UntarData in real processes (<c>multilabel untar-data</c>): killed mid-download and mid-extraction, and two
/// at once on the same cache.</summary>
[Collection(FastaiHomeCollection.Name)]
public sealed class UntarDataProcessTests : IsolatedFastaiHome
{
    static readonly byte[] PascalTgz = TestArchives.Pascal(rows: 60);

    Dictionary<string, string?> Environment(LocalHttpServer server, byte[] archive)
    {
        var checks = sandbox.File("checks.json");
        File.WriteAllText(checks, TestArchives.ChecksJson((Urls.Pascal2007.Address, archive)));
        return new() { [FastaiConfig.HomeVariable] = Home, [ExternalData.MirrorVariable] = server.Root.ToString(), ["MULTILABEL_DOWNLOAD_CHECKS"] = checks };
    }

    static LocalHttpServer Slow(byte[] archive, int chunk, int pauseMs) => new((_, response) =>
    {
        response.ContentLength64 = archive.Length;
        for (int offset = 0; offset < archive.Length; offset += chunk)
        {
            response.OutputStream.Write(archive, offset, Math.Min(chunk, archive.Length - offset));
            response.OutputStream.Flush();
            Thread.Sleep(pauseMs);
        }
        response.Close();
    }, "data");

    static Process Start(IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { MultilabelTool.Path, "untar-data", "--name", "PASCAL_2007" }) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void A_process_killed_mid_download_leaves_no_archive_and_the_next_call_completes_and_cleans_up()
    {
        using var server = Slow(PascalTgz, 8_000, 100);
        var environment = Environment(server, PascalTgz);
        using (var process = Start(environment))
        {
            WaitFor(() => Directory.Exists(ArchiveFolder) && Directory.GetFiles(ArchiveFolder, ".pascal_2007.tgz.*.tmp").Any(f => new FileInfo(f).Length > 0), "the download to start");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(ArchiveFolder, "pascal_2007.tgz")));
        Assert.False(Directory.Exists(Path.Combine(DataFolder, "pascal_2007")));

        using var fast = new LocalHttpServer((_, response) => LocalHttpServer.Send(response, PascalTgz), "data");
        var result = MultilabelTool.Run(TimeSpan.FromMinutes(2), Environment(fast, PascalTgz), "untar-data", "--name", "PASCAL_2007");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(Path.Combine(DataFolder, "pascal_2007"), result.Output);
        Assert.Equal(["pascal_2007.tgz"], ArchiveFiles()); // the killed download's temporary file is gone
    }

    [Fact]
    public void A_process_killed_mid_extraction_leaves_no_folder_that_a_later_call_takes_for_complete()
    {
        // Big enough (incompressible) that extraction takes a while; served at once.
        var big = TestArchives.Pascal(rows: 20, extra: w =>
        {
            for (int i = 0; i < 400; i++)
                w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"pascal_2007/blobs/{i}.bin")
                    { DataStream = new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 20)) });
        });
        using var server = new LocalHttpServer((_, response) => LocalHttpServer.Send(response, big), "data");
        var environment = Environment(server, big);
        using (var process = Start(environment))
        {
            WaitFor(() => Directory.Exists(DataFolder) && Directory.GetDirectories(DataFolder, ".pascal_2007.*.extracting").Length > 0, "the extraction to start");
            Thread.Sleep(100);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.False(Directory.Exists(Path.Combine(DataFolder, "pascal_2007")));

        var result = MultilabelTool.Run(TimeSpan.FromMinutes(2), environment, "untar-data", "--name", "PASCAL_2007");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(400, Directory.GetFiles(Path.Combine(DataFolder, "pascal_2007", "blobs")).Length);
        Assert.Equal(["pascal_2007"], Directory.GetFileSystemEntries(DataFolder).Select(Path.GetFileName));
        Assert.Equal(1, server.Requests); // the archive was complete: extracted again, not downloaded again
    }

    [Fact]
    public async Task Two_processes_at_once_get_the_same_complete_folder_from_one_download()
    {
        using var server = Slow(PascalTgz, 20_000, 50);
        var environment = Environment(server, PascalTgz);
        ChildProcess.Result Untar() => MultilabelTool.Run(TimeSpan.FromMinutes(2), environment, "untar-data", "--name", "PASCAL_2007");

        var runs = await Task.WhenAll(Task.Run(Untar), Task.Run(Untar));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.All(runs, r => Assert.Contains(Path.Combine(DataFolder, "pascal_2007"), r.Output));
        Assert.Equal(1, server.Requests);
        Assert.Equal(60, Directory.GetFiles(Path.Combine(DataFolder, "pascal_2007", "train")).Length);
        Assert.Equal(["pascal_2007.tgz"], ArchiveFiles());
        Assert.Equal(["pascal_2007"], Directory.GetFileSystemEntries(DataFolder).Select(Path.GetFileName));
    }
}
