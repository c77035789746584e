using MultiLabel.Views;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Models.Pretrained;

namespace MultiLabel.Cli;

/// <summary>`multilabel weights`: puts torchvision's ImageNet weights into PyTorch's cache (or finds them there) and
/// prints the file's path, with a progress line while it downloads.</summary>
static class WeightsCommand
{
    public static int Run(Options options)
    {
        var arch = options.Text("arch", "resnet50");
        var file = options.Text("file", "") is { Length: > 0 } name
            ? new WeightsFile(arch, name, $"the checkpoint {name}") // any torchvision checkpoint by its published name
            : options.Text("version", "v1") switch
            {
                "v1" => TorchvisionWeights.For(ResNets.Get(arch)),
                "v2" when arch == "resnet50" => TorchvisionWeights.ResNet50V2,
                var other => throw new ArgumentException($"option '--version' must be v1 (or v2 for resnet50), got '{other}'"),
            };
        var root = options.Text("from", "") is { Length: > 0 } from ? TorchvisionWeights.Folder(from) : null;
        int timeout = options.Int("timeout", 600);
        try
        {
            var path = TorchvisionWeights.Fetch(file, root, TimeSpan.FromSeconds(timeout), new ConsoleDownloadProgress(file.Description));
            Console.WriteLine(path);
            return 0;
        }
        catch (WeightsDownloadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 4;
        }
    }
}
