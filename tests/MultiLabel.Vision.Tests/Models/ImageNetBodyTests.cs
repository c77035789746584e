using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;
using MultiLabel.Vision.Tests.Training;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Models;

/// <summary>What <c>VisionLearner.Create(dls, arch)</c> loads, as fastai's vision_learner: torchvision's ImageNet weights
/// from PyTorch's cache or the network (a real server on 127.0.0.1), and for ResNet-18 the bundled weights offline, said
/// in one line on standard output and in the learner's summary.</summary>
[Collection(TorchHomeCollection.Name)]
public sealed class ImageNetBodyTests : IsolatedTorchHome
{
    readonly StringWriter error = new();

    public ImageNetBodyTests() => Console.SetOut(error);

    static string Cached(string name) => Path.Combine(TorchvisionWeights.CacheFolder(), name);

    [Fact]
    public void Offline_a_pretrained_ResNet18_is_the_bundled_one_and_says_why_and_where_the_file_goes()
    {
        int port = LocalHttpServer.FreePort();
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, $"http://127.0.0.1:{port}/models");

        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, seed: 1);

        Assert.True(learn.Info!.CntkLayout);
        Assert.Equal("ImageNet, the bundled ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK export), as resnet18-f37072fd.pth could not be fetched", learn.Info.Weights);
        var said = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Using the bundled ImageNet ResNet-18 (the bundled ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK export)): " +
            $"torchvision's resnet18-f37072fd.pth could not be downloaded from http://127.0.0.1:{port}/models/resnet18-f37072fd.pth (Connection refused", said);
        Assert.EndsWith($"To use it, copy it to {Cached("resnet18-f37072fd.pth")}.", said.TrimEnd());
    }

    [Fact]
    public void Offline_a_failed_ResNet18_download_is_not_retried_by_the_next_learner_until_RetryAfter_has_passed()
    {
        using var server = new LocalHttpServer((_, response) =>
        {
            response.StatusCode = 503;
            response.Close();
        });
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, server.Root.ToString());
        var retryAfter = ResNets.RetryAfter;
        try
        {
            using (VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, seed: 1)) { }
            using var second = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, seed: 1);

            Assert.Equal(1, server.Requests);
            Assert.True(second.Info!.CntkLayout);
            Assert.Contains($"not downloading {server.Root}resnet18-f37072fd.pth again, it failed ", error.ToString());
            Assert.Contains("(the server answered 503 Service Unavailable)", error.ToString());

            ResNets.RetryAfter = TimeSpan.Zero;
            using (VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, seed: 1)) { }
            Assert.Equal(2, server.Requests);
        }
        finally
        {
            ResNets.RetryAfter = retryAfter;
        }
    }

    [Fact]
    public void A_ResNet18_in_PyTorchs_cache_is_torchvisions_layout_and_weights_without_the_network()
    {
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, $"http://127.0.0.1:{LocalHttpServer.FreePort()}/models");
        using var scope = NewDisposeScope();
        manual_seed(11);
        var source = ResNets.Build(ResNets.ResNet18, cntkLayout: false); // stands in for the real file, under its real name
        Directory.CreateDirectory(TorchvisionWeights.CacheFolder());
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(Cached("resnet18-f37072fd.pth"), new System.Collections.Hashtable(source.state_dict()));

        using var learn = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, seed: 1);

        Assert.False(learn.Info!.CntkLayout);
        Assert.Equal("ImageNet, torchvision ResNet-18, IMAGENET1K_V1", learn.Info.Weights);
        Assert.EndsWith("; weights: ImageNet, torchvision ResNet-18, IMAGENET1K_V1", learn.ToString());
        Assert.True(learn.Model.state_dict()["body.layer4.1.conv2.weight"].equal(source.state_dict()["layer4.1.conv2.weight"]).all().item<bool>());
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void With_the_network_a_ResNet50_is_requested_by_its_published_name_and_checked_against_its_hash()
    {
        var requested = new List<string>();
        var body = new byte[200_000]; // not torchvision's file: its hash cannot start with 0676ba61
        using var server = new LocalHttpServer((request, response) =>
        {
            lock (requested) requested.Add(request.Url!.AbsolutePath);
            LocalHttpServer.Send(response, body);
        });
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, server.Root.ToString());

        var failure = Assert.Throws<WeightsDownloadException>(() => VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet50, seed: 1));

        Assert.Equal([$"{server.Root.AbsolutePath}resnet50-0676ba61.pth"], requested);
        Assert.Contains("does not start with 0676ba61, as its name says it must", failure.Message);
        Assert.False(Directory.Exists(TorchvisionWeights.CacheFolder()) && Directory.EnumerateFileSystemEntries(TorchvisionWeights.CacheFolder()).Any(),
            "a refused download left something in the cache");
    }

    [Fact]
    public void Weights_can_be_named_and_must_fit_the_architecture()
    {
        using var server = new LocalHttpServer((_, response) => LocalHttpServer.Send(response, []));
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, server.Root.ToString());

        using var bundled = VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, weights: CntkResNet18.Weights, seed: 1);
        var wrong = Assert.Throws<ArgumentException>(() => VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, weights: TorchvisionWeights.ResNet50V2));
        var both = Assert.Throws<ArgumentException>(() => VisionLearner.Create(TinyScenes.Loaders(rows: 64), ResNets.ResNet18, weights: CntkResNet18.Weights, pretrainedWeights: "x.pth"));

        Assert.Equal((true, "ImageNet, the bundled ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK export)"), (bundled.Info!.CntkLayout, bundled.Info.Weights));
        Assert.Equal(0, server.Requests); // asked for by name: no download tried
        Assert.StartsWith("torchvision ResNet-50, IMAGENET1K_V2 are weights for resnet50, not resnet18.", wrong.Message);
        Assert.StartsWith("Give weights (a published ImageNet file) or pretrainedWeights (a file of yours), not both.", both.Message);
    }
}
