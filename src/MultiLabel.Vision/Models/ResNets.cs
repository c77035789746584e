using MultiLabel.Vision.Models.Layers;
using MultiLabel.Vision.Models.Pretrained;
using MultiLabel.Vision.Serialization;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiLabel.Vision.Models;

/// <summary>
/// The registry of bodies: ResNet-18/34/50 from TorchVision without their average pool and fc, keeping torchvision's
/// child names (conv1, bn1, relu, maxpool, layer1..layer4) so state dicts line up. Pretrained bodies get torchvision's
/// ImageNet weights (<see cref="ImageNetBody"/>); offline, ResNet-18 falls back to the bundled CNTK export (layer4 with
/// three blocks).
/// </summary>
public static class ResNets
{
    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2], 512 features, fastai's ResNet split.</summary>
    public static readonly Arch ResNet18 = new("resnet18", 512, [2, 2, 2, 2], false, Training.ParameterGroups.ResNet);
    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3], 512 features, fastai's ResNet split.</summary>
    public static readonly Arch ResNet34 = new("resnet34", 512, [3, 4, 6, 3], false, Training.ParameterGroups.ResNet);
    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3], 2048 features, fastai's ResNet split.</summary>
    public static readonly Arch ResNet50 = new("resnet50", 2048, [3, 4, 6, 3], true, Training.ParameterGroups.ResNet);

    /// <summary>Every registered architecture.</summary>
    public static IReadOnlyList<Arch> All { get; } = [ResNet18, ResNet34, ResNet50];

    /// <summary>The architecture called <paramref name="name"/> (case-insensitive); an error listing the known ones otherwise.</summary>
    public static Arch Get(string name) =>
        All.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown architecture '{name}'. Known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));

    /// <summary>
    /// The body with ImageNet weights, as fastai's <c>vision_learner</c> gets them: torchvision's file
    /// (<paramref name="weights"/>, by default IMAGENET1K_V1, <see cref="TorchvisionWeights.For"/>) from PyTorch's cache or
    /// downloaded into it. Where the default ResNet-18 file cannot be had (no network, no cached file) the bundled
    /// ResNet-18 is used instead, and one line on standard output (not an error: training goes on) says why and where to put the file;
    /// <see cref="CntkResNet18.Weights"/> asks for the bundled one directly.
    /// </summary>
    public static PretrainedBody ImageNetBody(Arch arch, WeightsFile? weights = null)
    {
        Native.TorchRuntime.Initialize();
        if (weights is not null && weights.Arch != arch.Name)
            throw new ArgumentException($"{weights.Description} are weights for {weights.Arch}, not {arch.Name}.", nameof(weights));
        if (weights == CntkResNet18.Weights) return Bundled("ImageNet, " + CntkResNet18.Weights.Description);
        var file = weights ?? TorchvisionWeights.For(arch);
        bool mayFallBack = weights is null && arch == ResNet18;
        var address = new Uri(TorchvisionWeights.Root(), file.FileName).AbsoluteUri;
        string path;
        try
        {
            // Offline, every learner would wait for the connect timeout again: a failure is remembered for a while.
            if (mayFallBack && TorchvisionWeights.Cached(file) is null && RecentFailures.TryGetValue(address, out var earlier)
                && DateTime.UtcNow - earlier.At < RetryAfter)
            {
                Console.Out.WriteLine($"Using the bundled ImageNet ResNet-18 ({CntkResNet18.Weights.Description}): not downloading {address} " +
                    $"again, it failed {(int)(DateTime.UtcNow - earlier.At).TotalSeconds} s ago ({earlier.Reason}).");
                return Bundled($"ImageNet, {CntkResNet18.Weights.Description}, as {file.FileName} could not be fetched");
            }
            path = TorchvisionWeights.Fetch(file);
        }
        catch (WeightsDownloadException e) when (mayFallBack)
        {
            var reason = (e.InnerException as Downloads.DownloadException)?.Reason ?? e.Message;
            RecentFailures[address] = (DateTime.UtcNow, reason);
            // One line saying which weights were used, and how to get torchvision's: not an error, training goes on.
            Console.Out.WriteLine($"Using the bundled ImageNet ResNet-18 ({CntkResNet18.Weights.Description}): torchvision's {file.FileName} " +
                $"could not be downloaded from {address} ({reason}). To use it, copy it to {Path.Combine(TorchvisionWeights.CacheFolder(), file.FileName)}.");
            return Bundled($"ImageNet, {CntkResNet18.Weights.Description}, as {file.FileName} could not be fetched");
        }
        var body = Build(arch, cntkLayout: false);
        PyTorchWeights.LoadInto(body, path, $"a {arch.Name} body");
        return new PretrainedBody(body, false, $"ImageNet, {file.Description}");
    }

    /// <summary>How long a failed download of the default ResNet-18 is not tried again in this process (the file
    /// appearing in PyTorch's cache is used at once).</summary>
    public static TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(10);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime At, string Reason)> RecentFailures = new();

    static PretrainedBody Bundled(string description)
    {
        var body = Build(ResNet18, cntkLayout: true);
        CntkResNet18.LoadInto(body);
        return new PretrainedBody(body, true, description);
    }

    /// <summary>A ResNet body as a Sequential of torchvision's children (conv1, bn1, relu, maxpool, layer1..layer4) built
    /// from the project's blocks and BatchNorm; <paramref name="cntkLayout"/> gives ResNet-18 a third block in layer4
    /// (ResNet-34's layer4), matching the CNTK export. With the same seed the weights equal torchvision's: modules are
    /// made, and the generator consumed, in the order of TorchSharp's torchvision constructors.</summary>
    public static TorchSharp.Modules.Sequential Build(Arch arch, bool cntkLayout)
    {
        var body = Initialized(arch);
        if (!cntkLayout) return body;
        // Not disposed: the parents go, their children live on in the new body.
        var layer4 = Initialized(ResNet34).named_children().Single(c => c.name == "layer4").module;
        return Sequential(body.named_children().Select(c => (c.name, (Module<Tensor, Tensor>)(c.name == "layer4" ? layer4 : c.module))));
    }

    static TorchSharp.Modules.Sequential Initialized(Arch arch)
    {
        var body = Sequential(Children(arch));
        InitializeLikeTorchvision(body);
        return body;
    }

    static List<(string, Module<Tensor, Tensor>)> Children(Arch arch)
    {
        var (blocks, bottleneck) = (arch.Layers, arch.Bottleneck);
        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion, inPlanes = 64;
        var children = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv1", Conv2d(3, 64, kernel_size: 7, stride: 2, padding: 3, bias: false)),
            ("bn1", BatchNorm.For2d(64)),
            ("relu", ReLU(inplace: true)),
            ("maxpool", MaxPool2d(kernel_size: 3, stride: 2, padding: 1)),
        };
        int[] planes = [64, 128, 256, 512];
        for (int layer = 0; layer < 4; layer++)
        {
            var layerBlocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < blocks[layer]; b++)
            {
                int stride = b == 0 && layer > 0 ? 2 : 1;
                Module<Tensor, Tensor>? downsample = b == 0 && (stride != 1 || inPlanes != planes[layer] * expansion)
                    ? Sequential(Conv2d(inPlanes, planes[layer] * expansion, kernel_size: 1, stride: stride, bias: false), BatchNorm.For2d(planes[layer] * expansion))
                    : null;
                layerBlocks.Add(bottleneck ? new Bottleneck(inPlanes, planes[layer], stride, downsample) : new BasicBlock(inPlanes, planes[layer], stride, downsample));
                inPlanes = planes[layer] * expansion;
            }
            children.Add(($"layer{layer + 1}", Sequential(layerBlocks)));
        }
        // torchvision's constructor makes its 1000-class fc here; it is dropped, but making it keeps the generator in step.
        Linear(512 * expansion, 1000).Dispose();
        return children;
    }

    /// <summary>torchvision's ResNet initialisation: Kaiming-normal (fan-out, ReLU) convolutions in module order; BatchNorm
    /// weight 1 and bias 0, which <see cref="BatchNorm"/> starts with.</summary>
    static void InitializeLikeTorchvision(Module body)
    {
        using var _ = no_grad();
        // named_modules walks level by level, in the order torchvision's constructor does.
        foreach (var (_, module) in body.named_modules())
            if (module is TorchSharp.Modules.Conv2d conv)
                init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
    }
}
