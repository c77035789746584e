using MultiLabel.Vision.Models.Pretrained;
using Xunit;

namespace MultiLabel.Vision.Tests.Models;

/// <summary>A test class with its own PyTorch cache (TORCH_HOME) for each test; the cache, the weights address and
/// standard error are put back afterwards.</summary>
public abstract class IsolatedTorchHome : IDisposable
{
    private protected readonly TempFolder torchHome = new();
    readonly string? previousTorchHome = Environment.GetEnvironmentVariable("TORCH_HOME");
    private protected readonly string? previousRoot = Environment.GetEnvironmentVariable(TorchvisionWeights.RootVariable);
    readonly TextWriter previousError = Console.Error;
    readonly TextWriter previousOut = Console.Out;

    protected IsolatedTorchHome() => Environment.SetEnvironmentVariable("TORCH_HOME", torchHome.Path);

    public void Dispose()
    {
        Console.SetError(previousError);
        Console.SetOut(previousOut);
        Environment.SetEnvironmentVariable("TORCH_HOME", previousTorchHome);
        Environment.SetEnvironmentVariable(TorchvisionWeights.RootVariable, previousRoot);
        torchHome.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Tests that set TORCH_HOME or the weights address run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchHomeCollection
{
    public const string Name = "TORCH_HOME";
}
