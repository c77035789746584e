using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Reliability;

/// <summary>Keeps the engine free of temporary Scalars (see <see cref="ImplicitScalars"/>): none created in its own code,
/// no TorchSharp method called that creates one, and no TorchSharp module in its models whose forward creates one.</summary>
public sealed class ImplicitScalarGuardTests(ITestOutputHelper output)
{
    [Fact]
    public void The_scan_finds_the_known_creators_and_clears_the_known_safe_calls()
    {
        Assert.True(ImplicitScalars.Creates(typeof(Tensor).GetMethod(nameof(Tensor.add_), [typeof(Tensor)])!));
        Assert.True(ImplicitScalars.Creates(typeof(TorchSharp.Modules.BatchNorm).GetMethod("forward")!));
        Assert.False(ImplicitScalars.Creates(typeof(Tensor).GetMethod(nameof(Tensor.add_), [typeof(Tensor), typeof(Scalar)])!));
        Assert.False(ImplicitScalars.Creates(typeof(Tensor).GetMethod(nameof(Tensor.mul), [typeof(Tensor)])!));
    }

    [Fact]
    public void The_scan_flags_a_conversion_written_in_our_code()
    {
        var uses = ImplicitScalars.UsesIn(typeof(ImplicitScalarGuardTests).Assembly);

        Assert.Contains(uses, u => u.Contains(nameof(HalfOf)) && u.Contains("op_Multiply(Tensor, Double)"));
        Assert.Contains(uses, u => u.Contains(nameof(HalfOfAsScalar)) && u.Contains("Scalar.op_Implicit(Double)"));
        Assert.Contains(uses, u => u.Contains(nameof(Increment)) && u.Contains("add_(Tensor)"));
        Assert.Contains(uses, u => u.Contains(nameof(HalfOfInline)) && u.Contains("ToScalar"));
        Assert.DoesNotContain(uses, u => u.Contains(nameof(HalfOfKeptAlive)));
    }

    static Tensor HalfOf(Tensor t) => t * 0.5;
    static Tensor HalfOfAsScalar(Tensor t) => t.mul(0.5);
    static Tensor HalfOfInline(Tensor t) => t.mul(0.5.ToScalar());
    static Tensor Increment(Tensor t, Tensor one) => t.add_(one);
    static Tensor HalfOfKeptAlive(Tensor t)
    {
        using var half = 0.5.ToScalar();
        return t.mul(half);
    }

    [Fact]
    public void The_engine_and_its_native_loader_create_no_temporary_Scalar()
    {
        var uses = ImplicitScalars.UsesIn(typeof(Learner).Assembly).Concat(ImplicitScalars.UsesIn(typeof(MultiLabel.Native.TorchRuntime).Assembly)).ToList();
        foreach (var u in uses) output.WriteLine(u);

        Assert.True(uses.Count == 0, $"{uses.Count} places create a temporary Scalar:\n{string.Join('\n', uses)}");
    }

    [Fact]
    public void The_multilabel_tool_creates_no_temporary_Scalar()
    {
        var uses = ImplicitScalars.UsesIn(System.Reflection.Assembly.Load("multilabel"));

        Assert.True(uses.Count == 0, $"{uses.Count} places create a temporary Scalar:\n{string.Join('\n', uses)}");
    }

    [Theory]
    [InlineData("resnet18", true)]
    [InlineData("resnet34", false)]
    [InlineData("resnet50", false)]
    public void No_module_of_a_vision_learner_creates_a_Scalar_in_forward(string arch, bool withYRange)
    {
        using var body = ResNets.Build(ResNets.Get(arch), cntkLayout: arch == "resnet18");
        using var head = Head.Create(ResNets.Get(arch).Features, 4, withYRange ? (-1, 1) : null);

        var offenders = body.modules().Concat(head.modules())
            .Select(m => m.GetType().GetMethod("forward", [typeof(Tensor)])!)
            .Where(ImplicitScalars.Creates)
            .Select(ImplicitScalars.Describe).Distinct().ToList();

        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
        Assert.Contains(body.modules(), m => m is MultiLabel.Vision.Models.Layers.BatchNorm);
    }
}
