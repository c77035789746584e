using System.Runtime.CompilerServices;

namespace MultiLabel.Testing;

/// <summary>
/// Tests see the machine as CI does, whatever the developer's machine has: an empty PyTorch cache and no way to download
/// ImageNet weights (a refused local address), so every pretrained ResNet-18 falls back to the bundled one and results do
/// not depend on the network. Child processes (the CLI, Jupyter kernels) inherit both. The download itself is tested
/// against a local server (TorchvisionWeightsTests), which sets its own cache and address.
/// </summary>
static class OfflineWeights
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        Environment.SetEnvironmentVariable("TORCH_HOME", Path.Combine(Path.GetTempPath(), "multilabel-tests-empty-torch-home"));
        Environment.SetEnvironmentVariable("MULTILABEL_WEIGHTS_URL", "http://127.0.0.1:9/offline/"); // TorchvisionWeights.RootVariable
    }
}
