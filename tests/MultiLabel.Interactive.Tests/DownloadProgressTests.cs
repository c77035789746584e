using System.Security.Cryptography;
using Microsoft.DotNet.Interactive.Events;
using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>Weights downloaded while a cell runs show one live bar in that cell (a real HTTP server on 127.0.0.1).</summary>
public sealed class DownloadProgressTests : IDisposable
{
    readonly KernelHarness kernel = new();
    readonly TempFolder torchHome = new();
    readonly string? previousTorchHome = Environment.GetEnvironmentVariable("TORCH_HOME");

    public DownloadProgressTests()
    {
        Environment.SetEnvironmentVariable("TORCH_HOME", torchHome.Path);
        kernel.LoadExtensionAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TORCH_HOME", previousTorchHome);
        kernel.Dispose();
        torchHome.Dispose();
    }

    [Fact]
    public async Task A_download_in_a_cell_shows_one_bar_that_ends_complete()
    {
        var content = RandomNumberGenerator.GetBytes(2_000_000);
        var name = $"tiny-{Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant()[..8]}.pth";
        using var server = new LocalHttpServer((_, response) =>
        {
            response.ContentLength64 = content.Length;
            for (int offset = 0; offset < content.Length; offset += 200_000)
            {
                response.OutputStream.Write(content, offset, 200_000);
                Thread.Sleep(120); // long enough for a few updates
            }
            response.Close();
        });

        var result = await kernel.SubmitAsync($"""
            MultiLabel.Vision.Models.Pretrained.TorchvisionWeights.Fetch(
                new MultiLabel.Vision.Models.Pretrained.WeightsFile("tiny", "{name}", "a test file"), new Uri("{server.Root}"))
            """);

        KernelHarness.Succeeded(result);
        var bars = result.Events.OfType<DisplayedValueProduced>().Where(e => KernelHarness.HtmlOf(e).Contains("class=\"ml-download\"")).ToList();
        Assert.Single(bars);
        var last = result.Events.OfType<DisplayedValueUpdated>().Where(u => u.ValueId == bars[0].ValueId).Select(KernelHarness.HtmlOf).Last();
        Assert.Contains("downloading a test file: <progress value=\"2000000\" max=\"2000000\"", last);
        Assert.Contains("2.0 of 2.0 MB", last);
        Assert.Equal(Path.Combine(torchHome.Path, "hub", "checkpoints", name), result.Events.OfType<ReturnValueProduced>().Single().Value);
    }

    [Fact]
    public async Task A_dataset_download_in_a_cell_shows_one_bar_that_ends_complete_and_the_folder()
    {
        var archive = TestArchives.Pascal(rows: 100);
        using var server = new LocalHttpServer((_, response) =>
        {
            response.ContentLength64 = archive.Length;
            for (int offset = 0; offset < archive.Length; offset += 50_000)
            {
                response.OutputStream.Write(archive, offset, Math.Min(50_000, archive.Length - offset));
                Thread.Sleep(60);
            }
            response.Close();
        }, "data");
        using var home = new TempFolder();
        var (size, md5) = TestArchives.Stats(archive);

        var result = await kernel.SubmitAsync($$"""
            System.Environment.SetEnvironmentVariable("FASTAI_HOME", @"{{home.Path}}");
            var archive = MultiLabel.Vision.Data.External.Urls.Pascal2007 with
            {
                Address = new Uri("{{server.Root}}pascal_2007.tgz"),
                Check = MultiLabel.Vision.Downloads.DownloadCheck.SizeAndMd5({{size}}, "{{md5}}"),
            };
            MultiLabel.Vision.Data.External.ExternalData.UntarData(archive)
            """);

        Environment.SetEnvironmentVariable("FASTAI_HOME", null);
        KernelHarness.Succeeded(result);
        var bars = result.Events.OfType<DisplayedValueProduced>().Where(e => KernelHarness.HtmlOf(e).Contains("class=\"ml-download\"")).ToList();
        Assert.Single(bars);
        var last = result.Events.OfType<DisplayedValueUpdated>().Where(u => u.ValueId == bars[0].ValueId).Select(KernelHarness.HtmlOf).Last();
        Assert.Contains($"downloading PASCAL_2007 (pascal_2007.tgz): <progress value=\"{archive.Length}\" max=\"{archive.Length}\"", last);
        Assert.Contains("extracting ", string.Concat(result.Events.OfType<StandardOutputValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value)));
        Assert.Equal(Path.Combine(home.Path, "data", "pascal_2007"), result.Events.OfType<ReturnValueProduced>().Single().Value);
    }

    [Fact]
    public async Task Offline_the_notebooks_data_cell_shows_no_bar_and_one_line_then_uses_the_bundled_stand_in()
    {
        using var home = new TempFolder();
        int port = LocalHttpServer.FreePort();

        KernelHarness.Succeeded(await kernel.SubmitAsync($$"""
            System.Environment.SetEnvironmentVariable("FASTAI_HOME", @"{{home.Path}}");
            System.Environment.SetEnvironmentVariable("MULTILABEL_DATA_URL", "http://127.0.0.1:{{port}}/data/");
            """));
        var result = await kernel.SubmitAsync($$"""
            using static MultiLabel.Vision.Data.External.ExternalData;
            using MultiLabel.Vision.Data.External;

            var path = UntarData(Urls.Pascal2007, orBundled: "scenes-quick");
            path
            """);

        Environment.SetEnvironmentVariable("FASTAI_HOME", null);
        Environment.SetEnvironmentVariable("MULTILABEL_DATA_URL", null);
        KernelHarness.Succeeded(result);
        Assert.DoesNotContain(result.Events.OfType<DisplayEvent>(), e => KernelHarness.HtmlOf(e).Contains("ml-download"));
        Assert.Empty(result.Events.OfType<StandardErrorValueProduced>());
        var printed = string.Concat(result.Events.OfType<StandardOutputValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value));
        var line = Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Using the bundled stand-in ", line);
        Assert.Contains($"Could not download PASCAL_2007 from http://127.0.0.1:{port}/data/pascal_2007.tgz", line);
        Assert.Contains($"copy pascal_2007.tgz, 1,637,796,771 bytes into {Path.Combine(home.Path, "archive")}/", line);
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick"), result.Events.OfType<ReturnValueProduced>().Single().Value);
    }
}
