using MultiLabel.Native.Files;
using MultiLabel.Vision.Models;
using Xunit;

namespace MultiLabel.Vision.Tests.Files;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_writer_that_closes_its_stream_still_leaves_the_complete_file_and_no_temporary()
    {
        using var temp = new TempFolder();
        var target = temp.File("weights.bin");
        AtomicFile.Write(target, stream =>
        {
            stream.Write([1, 2, 3]);
            stream.Dispose(); // as PyBridge's Safetensors.SaveStateDict does
        });
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void A_failing_writer_keeps_the_old_file_and_removes_its_temporary()
    {
        using var temp = new TempFolder();
        var target = temp.File("weights.bin");
        File.WriteAllBytes(target, [9]);
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(target, stream => { stream.Write([1]); throw new IOException("disk full"); }));
        Assert.Equal("disk full", error.Message);
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(target));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void The_bundled_ResNet18_weights_are_converted_into_an_empty_cache_on_first_use()
    {
        using var temp = new TempFolder();
        var previous = Environment.GetEnvironmentVariable("MULTILABEL_CACHE");
        Environment.SetEnvironmentVariable("MULTILABEL_CACHE", temp.Path);
        try
        {
            using var body = TestBodies.Body(ResNets.ResNet18, pretrained: true);
            var cached = Directory.GetFiles(Path.Combine(temp.Path, "pretrained"), "resnet18-cntk-*.safetensors");
            Assert.Single(cached);
            Assert.True(new FileInfo(cached[0]).Length > 40_000_000, "the cache holds ResNet-18's 11.7 M weights as float32");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MULTILABEL_CACHE", previous);
        }
    }
}
