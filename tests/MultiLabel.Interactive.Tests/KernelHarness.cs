using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace MultiLabel.Interactive.Tests;

/// <summary>A real in-process kernel (CompositeKernel + CSharpKernel) with the extension loaded directly.
/// Formatters are process-global, so each harness resets them when disposed.</summary>
sealed class KernelHarness : IDisposable
{
    public CompositeKernel Kernel { get; }
    public CSharpKernel CSharp { get; }

    public KernelHarness()
    {
        CSharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        Kernel = new CompositeKernel { CSharp };
        Kernel.DefaultKernelName = CSharp.Name;
        CSharp.AddAssemblyReferences([
            typeof(MultiLabelExtension).Assembly.Location,
            typeof(MultiLabel.Vision.Data.LabelVector).Assembly.Location,
            typeof(MultiLabel.Views.Plot).Assembly.Location, // the package brings the views to a notebook too
            typeof(TorchSharp.torch).Assembly.Location,
            typeof(Plotly.NET.GenericChart).Assembly.Location,
            typeof(Plotly.NET.CSharp.Chart).Assembly.Location,
        ]);
    }

    public async Task<KernelCommandResult> LoadExtensionAsync() =>
        await SubmitAsync("MultiLabel.Interactive.MultiLabelExtension.Load(Microsoft.DotNet.Interactive.KernelInvocationContext.Current.HandlingKernel.RootKernel);");

    public Task<KernelCommandResult> SubmitAsync(string code) => Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode(code));

    public static string Html(KernelCommandResult result) =>
        string.Join("\n", result.Events.OfType<DisplayEvent>()
            .SelectMany(e => e.FormattedValues).Where(f => f.MimeType == "text/html").Select(f => f.Value));

    public static string HtmlOf(DisplayEvent e) =>
        string.Join("\n", e.FormattedValues.Where(f => f.MimeType == "text/html").Select(f => f.Value));

    public static void Succeeded(KernelCommandResult result)
    {
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Xunit.Assert.True(failed is null, failed?.Message);
    }

    public void Dispose()
    {
        Kernel.Dispose();
        Formatter.ResetToDefault();
    }
}
