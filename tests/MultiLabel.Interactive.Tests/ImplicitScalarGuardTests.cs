using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>The notebook layer, like the engine, creates no temporary TorchSharp Scalar (see <see cref="ImplicitScalars"/>).</summary>
public sealed class ImplicitScalarGuardTests
{
    [Fact]
    public void The_notebook_layer_creates_no_temporary_Scalar()
    {
        var uses = ImplicitScalars.UsesIn(typeof(MultiLabelExtension).Assembly);

        Assert.True(uses.Count == 0, $"{uses.Count} places create a temporary Scalar:\n{string.Join('\n', uses)}");
    }
}
