using System.Runtime.CompilerServices;
using MultiLabel.Native;

[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace MultiLabel.Vision.Tests;

static class TestSetup
{
    /// <summary>libtorch loads before any test touches torch, as it would in an application.</summary>
    [ModuleInitializer]
    internal static void LoadTorch()
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
    }
}
