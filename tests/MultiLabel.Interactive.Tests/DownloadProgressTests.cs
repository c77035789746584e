using System.Security.Cryptography;
using Microsoft.DotNet.Interactive.Events;
using MultiLabel.Testing;
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
}
