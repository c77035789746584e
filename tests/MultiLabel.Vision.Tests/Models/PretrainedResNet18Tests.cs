using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Microsoft.ML.OnnxRuntime;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;
using MultiLabel.Vision.Serialization;
using SixLabors.ImageSharp.Processing;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Models;

public sealed class PretrainedResNet18Tests
{
    // The export's preprocessing: BGR 0..255 minus these per-channel means.
    static readonly float[] BgrMean = [103.06f, 115.90f, 123.15f];

    static RgbImage Image224()
    {
        using var image = ImageDecoder.Load(Path.Combine(RepositoryRoot.Path, "datasets", "scenes-quick", "train", "000000.jpg"));
        image.Mutate(m => m.Resize(224, 224));
        return RgbImage.From(image);
    }

    static float[] BgrMinusMean(RgbImage image)
    {
        var data = new float[3 * 224 * 224];
        for (int y = 0; y < 224; y++)
            for (int x = 0; x < 224; x++)
            {
                var (r, g, b) = image[x, y];
                data[0 * 50176 + y * 224 + x] = b - BgrMean[0];
                data[1 * 50176 + y * 224 + x] = g - BgrMean[1];
                data[2 * 50176 + y * 224 + x] = r - BgrMean[2];
            }
        return data;
    }

    static Tensor Features(TorchSharp.Modules.Sequential body, Tensor input)
    {
        body.eval();
        using var _ = no_grad();
        using var maps = body.call(input);
        return nn.functional.adaptive_avg_pool2d(maps, [1, 1]).flatten(1);
    }

    [Fact]
    public void The_converted_network_matches_onnx_runtime_to_1e_4()
    {
        using var scope = NewDisposeScope();
        var onnx = CntkResNet18.LocateOnnx();
        var input = BgrMinusMean(Image224());
        using var session = new InferenceSession(onnx);
        var inputName = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor(input, [1, 3, 224, 224]))]);
        var expected = results.First().AsEnumerable<float>().ToArray();

        var body = ResNets.Build(ResNets.ResNet18, cntkLayout: true);
        var weights = CntkResNet18.ConvertGraph(OnnxGraph.Read(onnx));
        using (no_grad()) foreach (var (key, t) in body.state_dict()) if (weights.TryGetValue(key, out var w)) t.copy_(w);
        var actual = Features(body, tensor(input).view(1, 3, 224, 224)).data<float>().ToArray();

        Assert.Equal(110, weights.Count);
        Assert.Equal(512, expected.Length);
        Assert.True(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) < 1e-4,
            $"max |Δ| = {actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second))}");
    }

    [Fact]
    public void The_pretrained_body_takes_imagenet_normalised_rgb_with_the_same_features()
    {
        using var scope = NewDisposeScope();
        var image = Image224();
        var exact = ResNets.Build(ResNets.ResNet18, cntkLayout: true);
        var weights = CntkResNet18.ConvertGraph(OnnxGraph.Read(CntkResNet18.LocateOnnx()));
        using (no_grad()) foreach (var (key, t) in exact.state_dict()) if (weights.TryGetValue(key, out var w)) t.copy_(w);
        var reference = Features(exact, tensor(BgrMinusMean(image)).view(1, 3, 224, 224));

        var pretrained = TestBodies.Body(ResNets.ResNet18, pretrained: true);
        var rgb = tensor(image.Pixels).view(224, 224, 3).permute(2, 0, 1).to(ScalarType.Float32).div(255).unsqueeze(0);
        var mean = tensor(new[] { 0.485f, 0.456f, 0.406f }).view(1, 3, 1, 1);
        var std = tensor(new[] { 0.229f, 0.224f, 0.225f }).view(1, 3, 1, 1);
        var features = Features(pretrained, (rgb - mean) / std);

        double cosine = nn.functional.cosine_similarity(features, reference).item<float>();
        Assert.True(cosine > 0.999, $"cosine {cosine}");
    }
}
