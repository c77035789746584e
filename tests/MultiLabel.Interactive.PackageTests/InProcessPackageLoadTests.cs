using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>An in-process kernel restores the packed package with #i / #r "nuget: …", which runs its
/// extension.dib, exactly as the notebook tools do.</summary>
[Collection(PackageCollection.Name)]
public sealed class InProcessPackageLoadTests(LocalPackageFeed feed) : IDisposable
{
    readonly CompositeKernel kernel = PackageKernel.Create();

    Task<KernelCommandResult> Submit(string code) => kernel.Submit(code);

    static void Succeeded(KernelCommandResult result) => PackageKernel.Succeeded(result);

    [Fact]
    public async Task The_package_loads_torch_computes_and_the_formatter_renders()
    {
        var load = await Submit($"""
            #i "nuget:{feed.Folder}"
            #r "nuget: libtorch-cpu-linux-x64, 2.10.0"
            #r "nuget: MultiLabel.Interactive, {feed.Version}"
            """);
        var compute = await Submit("using TorchSharp;\n(torch.ones(2, 3) * 2).sum().item<float>()");
        var labels = await Submit("""new MultiLabel.Vision.Data.LabelVector(new[] { "cat", "dog" }, new[] { 0.8f, 0.1f })""");

        Succeeded(load);
        var announced = load.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value);
        Assert.Contains(announced, v => v.Contains("MultiLabel.Interactive loaded: CPU"));
        Succeeded(compute);
        Assert.Equal(12f, Assert.Single(compute.Events.OfType<ReturnValueProduced>()).Value);
        Succeeded(labels);
        var html = labels.Events.OfType<ReturnValueProduced>().Single().FormattedValues.Single(f => f.MimeType == HtmlFormatter.MimeType).Value;
        Assert.Contains("class=\"ml-chip ml-on\" title=\"cat: 0.8\"", html);
        Assert.Contains("threshold 0.5: cat", html);
    }

    public void Dispose()
    {
        kernel.Dispose();
        Formatter.ResetToDefault();
    }
}
