using MultiLabel.Vision.Models.Pretrained;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Models;

/// <summary>
/// The registry of bodies: ResNet-18/34/50 from TorchVision without their average pool and fc, keeping torchvision's
/// child names (conv1, bn1, relu, maxpool, layer1..layer4) so state dicts line up. Pretrained ResNet-18 is the offline
/// CNTK export (layer4 with three blocks); ResNet-34/50 are pretrained from a PyTorch file the user supplies.
/// </summary>
public static class ResNets
{
    public static readonly Arch Resnet18 = new("resnet18", 512, "built-in (Microsoft.ML.DnnImageFeaturizer.ResNet18, ImageNet; layer4 has 3 blocks)");
    public static readonly Arch Resnet34 = new("resnet34", 512, "a torchvision .pth or .safetensors file (pretrainedWeights)");
    public static readonly Arch Resnet50 = new("resnet50", 2048, "a torchvision .pth or .safetensors file (pretrainedWeights)");

    public static IReadOnlyList<Arch> All { get; } = [Resnet18, Resnet34, Resnet50];

    public static Arch Get(string name) =>
        All.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown architecture '{name}'. Known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));

    /// <summary>The body of <paramref name="arch"/>; with <paramref name="pretrained"/>, ResNet-18 gets the built-in
    /// ImageNet weights and the others need <paramref name="pretrainedWeights"/>.</summary>
    public static TorchSharp.Modules.Sequential Body(Arch arch, bool pretrained, string? pretrainedWeights = null)
    {
        Native.TorchRuntime.Initialize();
        if (pretrainedWeights is not null)
        {
            var body = Build(arch, cntkLayout: false);
            PyTorchWeights.LoadInto(body, pretrainedWeights);
            return body;
        }
        if (!pretrained) return Build(arch, cntkLayout: false);
        if (arch != Resnet18)
            throw new ArgumentException($"No offline ImageNet weights for {arch.Name}: pass pretrainedWeights: a torchvision {arch.Name} .pth/.safetensors file, or pretrained: false.");
        var cntk = Build(arch, cntkLayout: true);
        CntkResNet18.LoadInto(cntk);
        return cntk;
    }

    /// <summary>A ResNet body as a Sequential of torchvision's children; <paramref name="cntkLayout"/> gives ResNet-18
    /// a third block in layer4 (ResNet-34's layer4), matching the CNTK export.</summary>
    public static TorchSharp.Modules.Sequential Build(Arch arch, bool cntkLayout)
    {
        Module<Tensor, Tensor> full = arch.Name switch
        {
            "resnet18" => torchvision.models.resnet18(),
            "resnet34" => torchvision.models.resnet34(),
            "resnet50" => torchvision.models.resnet50(),
            _ => throw new ArgumentException($"Unknown architecture '{arch.Name}'."),
        };
        var children = full.named_children().Where(c => c.name is not ("avgpool" or "fc" or "flatten")).ToList();
        if (cntkLayout)
        {
            var resnet34 = torchvision.models.resnet34(); // not disposed: its layer4 lives on in the body
            var layer4 = resnet34.named_children().Single(c => c.name == "layer4").module;
            children = children.Select(c => c.name == "layer4" ? (c.name, layer4) : c).ToList();
        }
        return Sequential(children.Select(c => (c.name, (Module<Tensor, Tensor>)c.module)));
    }
}
