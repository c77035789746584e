using MultiLabel.Views;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Interactive.Directives;
using MultiLabel.Interactive.Formatting;
using MultiLabel.Interactive.Interrupts;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Native;

using MultiLabel.Vision.Models.Pretrained;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive;

/// <summary>Entry point called by the package's extension.dib: formatters, magic commands, start-up.</summary>
public static class MultiLabelExtension
{
    /// <summary>Registers everything on <paramref name="kernel"/> (the root kernel) and loads libtorch.</summary>
    public static void Load(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        FSharpCoreRedirect.Install();
        ChartHtml.ResetSession();
        RegisterFormatters();
        DeviceDirective.Register(kernel);
        ChapterDirectives.Register(kernel);
        KernelInterrupts.Install(kernel);
        // Once per process: every learner made from now on shows live progress when it trains in a cell.
        if (Interlocked.Exchange(ref liveProgressAdded, 1) == 0) LearnerDefaults.AddCallback(_ => new LiveProgress());
        // Weights downloaded while a cell runs (a first pretrained ResNet-50) show a live bar there.
        Vision.Downloads.Downloader.DefaultProgress ??= DownloadProgress.ForCurrentCell;

        var context = KernelInvocationContext.Current;
        var status = StartTorch();
        if (context is not null)
        {
            var commands = new[] { "#!device", "#!show_batch", "#!lr_find", "#!fine_tune", "#!fit_one_cycle", "#!show_results", "#!threshold_sweep" };
            var magic = commands.Select((c, i) => HtmlBuilder.Join([HtmlBuilder.El("code", c), i < commands.Length - 1 ? ", " : "."]));
            context.DisplayAs(HtmlBuilder.El("div", [("class", "ml-loaded")], HtmlBuilder.Join([(Node)$"MultiLabel.Interactive loaded: {status}. Magic commands: ", .. magic])).Markup, "text/html");
        }
    }

    static int liveProgressAdded;

    static string StartTorch()
    {
        // Loaded now so that plain TorchSharp calls in the next cells work too (on Debian 12 they need the
        // patched LibTorchSharp). Another libtorch is chosen by MULTILABEL_LIBTORCH before this package is loaded.
        try
        {
            var report = TorchRuntime.Initialize();
            return $"{report.Backend} ({report.DeviceName}){(report.PatchApplied ? ", GLIBCXX patch applied" : "")}";
        }
        catch (Exception e) when (e is DllNotFoundException or DirectoryNotFoundException)
        {
            return $"torch not loaded yet: {e.Message}";
        }
    }

    static void RegisterFormatters() => Formatters.Register();
}
