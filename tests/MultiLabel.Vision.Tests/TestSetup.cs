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
        // Every core, as the notebook kernel uses, unless the caller chose (scripts/test.sh gives each of the two test
        // processes it runs side by side half the cores).
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null)
            TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
    }
}
