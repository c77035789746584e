using System.Security.Cryptography;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;
using Xunit;

namespace MultiLabel.Vision.Tests.Models;

/// <summary>Weights fetched as PyTorch fetches them, from a real HTTP server on 127.0.0.1 that serves a generated file
/// under a name carrying its real hash prefix.</summary>
[Collection(TorchHomeCollection.Name)]
public sealed class TorchvisionWeightsTests : IsolatedTorchHome
{
    readonly byte[] content = RandomNumberGenerator.GetBytes(300_000);
    readonly WeightsFile file;

    public TorchvisionWeightsTests()
    {
        var prefix = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant()[..8];
        file = new WeightsFile("tiny", $"tiny-{prefix}.pth", "a generated test file");
    }

    string CachePath => Path.Combine(torchHome.Path, "hub", "checkpoints", file.FileName);

    [Fact]
    public void A_download_lands_in_PyTorchs_cache_with_progress_and_is_reused_without_the_network()
    {
        using var server = new LocalHttpServer((_, response) => LocalHttpServer.Send(response, content));
        var reports = new List<(long Done, long? Total)>();

        var path = TorchvisionWeights.Fetch(file, server.Root, progress: new SyncProgress(reports.Add));
        server.Dispose(); // the second call must not need it
        var again = TorchvisionWeights.Fetch(file, server.Root);

        Assert.Equal(CachePath, path);
        Assert.Equal(path, again);
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal((content.LongLength, (long?)content.LongLength), reports[^1]);
        Assert.Equal(1, server.Requests);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left
    }

    [Fact]
    public void Content_that_does_not_match_the_hash_in_the_name_is_refused_and_not_cached()
    {
        var other = content.ToArray();
        other[1000] ^= 0xFF;
        using var server = new LocalHttpServer((_, response) => LocalHttpServer.Send(response, other));

        var error = Assert.Throws<WeightsDownloadException>(() => TorchvisionWeights.Fetch(file, server.Root));

        Assert.Contains($"does not start with {file.HashPrefix}", error.Message);
        Assert.Contains(CachePath, error.Message); // where to put the file by hand
        Assert.False(Directory.Exists(Path.GetDirectoryName(CachePath)) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(CachePath)!).Any());
    }

    [Fact]
    public void A_body_cut_short_is_refused_and_not_cached()
    {
        using var server = new LocalHttpServer((_, response) =>
        {
            response.ContentLength64 = content.Length;
            response.OutputStream.Write(content, 0, content.Length / 2);
            response.Abort(); // the connection drops mid-body
        });

        var error = Assert.Throws<WeightsDownloadException>(() => TorchvisionWeights.Fetch(file, server.Root));

        Assert.Contains($"Could not download a generated test file from {server.Root}{file.FileName}", error.Message);
        Assert.False(File.Exists(CachePath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(CachePath)!));
    }

    [Fact]
    public void A_missing_file_reports_the_servers_answer()
    {
        using var server = new LocalHttpServer((_, response) => { response.StatusCode = 404; response.Close(); });

        var error = Assert.Throws<WeightsDownloadException>(() => TorchvisionWeights.Fetch(file, server.Root));

        Assert.Contains("the server answered 404 Not Found", error.Message);
        Assert.False(File.Exists(CachePath));
    }

    [Fact]
    public void An_unreachable_server_is_a_clear_error_naming_where_to_put_the_file()
    {
        int port = LocalHttpServer.FreePort();

        var error = Assert.Throws<WeightsDownloadException>(() => TorchvisionWeights.Fetch(file, new Uri($"http://127.0.0.1:{port}/models/"), timeout: TimeSpan.FromSeconds(10)));

        Assert.Contains($"http://127.0.0.1:{port}/models/{file.FileName}", error.Message);
        Assert.Contains($"copy {file.FileName}", error.Message);
        Assert.False(File.Exists(CachePath));
    }

    [Fact]
    public void The_published_names_carry_torchvisions_hash_prefixes_and_the_cache_follows_TORCH_HOME()
    {
        Assert.Equal("f37072fd", TorchvisionWeights.ResNet18.HashPrefix);
        Assert.Equal("b627a593", TorchvisionWeights.ResNet34.HashPrefix);
        Assert.Equal("0676ba61", TorchvisionWeights.ResNet50.HashPrefix);
        Assert.Equal("11ad3fa6", TorchvisionWeights.ResNet50V2.HashPrefix);
        Assert.Equal(Path.Combine(torchHome.Path, "hub", "checkpoints"), TorchvisionWeights.CacheFolder());
        Assert.Equal(new Uri("https://download.pytorch.org/models/resnet50-0676ba61.pth"), new Uri(TorchvisionWeights.DownloadRoot, TorchvisionWeights.ResNet50.FileName));
    }

    [Fact]
    public void A_pretrained_ResNet34_loads_torchvisions_file_from_PyTorchs_cache_without_the_network()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var source = ResNets.Build(ResNets.ResNet34, cntkLayout: false); // stands in for the real file, under its real name
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Directory.CreateDirectory(TorchvisionWeights.CacheFolder());
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(Path.Combine(TorchvisionWeights.CacheFolder(), "resnet34-b627a593.pth"), new System.Collections.Hashtable(state));
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, "http://127.0.0.1:9/unreachable/");
        try
        {
            var body = TestBodies.Body(ResNets.ResNet34, pretrained: true);

            Assert.True(body.state_dict()["layer3.5.conv2.weight"].equal(source.state_dict()["layer3.5.conv2.weight"]).all().item<bool>());
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, previousRoot);
        }
    }

    [Fact]
    public void Without_the_file_and_the_network_a_pretrained_ResNet50_says_what_to_do()
    {
        int port = LocalHttpServer.FreePort();
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, $"http://127.0.0.1:{port}/models");
        try
        {
            var error = Assert.Throws<WeightsDownloadException>(() => TestBodies.Body(ResNets.ResNet50, pretrained: true));

            Assert.StartsWith($"Could not download torchvision ResNet-50, IMAGENET1K_V1 from http://127.0.0.1:{port}/models/resnet50-0676ba61.pth", error.Message);
            Assert.Contains($"copy resnet50-0676ba61.pth (from PyTorch's cache on another machine, or from that address) to {Path.Combine(torchHome.Path, "hub", "checkpoints", "resnet50-0676ba61.pth")}", error.Message);
            Assert.EndsWith("pass pretrainedWeights: a file, or pretrained: false.", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, previousRoot);
        }
    }

    [Fact]
    public async Task Two_processes_fetching_at_once_both_get_the_complete_file_and_leave_nothing_else()
    {
        // Served slowly in chunks so that both downloads are under way at the same time.
        using var server = new LocalHttpServer((_, response) =>
        {
            response.ContentLength64 = content.Length;
            for (int offset = 0; offset < content.Length; offset += 15_000)
            {
                response.OutputStream.Write(content, offset, Math.Min(15_000, content.Length - offset));
                response.OutputStream.Flush();
                Thread.Sleep(100); // 2 s in all
            }
            response.Close();
        });
        var tool = MultilabelTool.Path;
        var environment = new Dictionary<string, string?> { ["TORCH_HOME"] = torchHome.Path };
        MultiLabel.Testing.ChildProcess.Result Fetch() => MultiLabel.Testing.ChildProcess.Run("dotnet",
            [tool, "weights", "--file", file.FileName, "--from", server.Root.ToString()], environment: environment, timeout: TimeSpan.FromMinutes(2));

        var runs = await Task.WhenAll(Task.Run(Fetch), Task.Run(Fetch));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.All(runs, r => Assert.Contains(CachePath, r.Output));
        // Usually both download at once; a process that starts after the other has finished reuses its file instead.
        Assert.InRange(server.Requests, 1, 2);
        Assert.Equal(content, File.ReadAllBytes(CachePath));
        Assert.Equal([CachePath], Directory.GetFiles(Path.GetDirectoryName(CachePath)!));
    }

    sealed class SyncProgress(Action<(long, long?)> report) : IProgress<(long Done, long? Total)>
    {
        public void Report((long Done, long? Total) value) => report(value);
    }
}
