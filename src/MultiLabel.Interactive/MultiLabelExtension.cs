using Microsoft.DotNet.Interactive;
using MultiLabel.Interactive.Directives;
using MultiLabel.Interactive.Formatting;
using MultiLabel.Interactive.Interrupts;
using MultiLabel.Interactive.Progress;
using MultiLabel.Native;
using MultiLabel.Views;
using MultiLabel.Vision.Downloads;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive;

/// <summary>Entry point called by the package's extension.dib: formatters, magic commands, live progress, start-up.</summary>
public static class MultiLabelExtension
{
    /// <summary>Registers everything on <paramref name="kernel"/> (the root kernel) and loads libtorch.</summary>
    public static void Load(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        FSharpCoreRedirect.Install();
        ChartHtml.ResetSession();
        Formatters.Register(plotlyJson: !FrontEnd.IsJupyter);
        var commands = MagicCommands.Register(kernel);
        KernelInterrupts.Install(kernel);
        // Once per process: every learner made from now on shows live progress when it trains in a cell.
        if (Interlocked.Exchange(ref liveProgressAdded, 1) == 0) LearnerDefaults.AddCallback(_ => new LiveProgress());
        // Downloads started while a cell runs (weights, data) show a live bar there.
        Downloader.DefaultProgress ??= DownloadProgress.ForCurrentCell;

        var status = StartTorch();
        KernelInvocationContext.Current?.DisplayAs(Banner(status, commands).Markup, "text/html");
    }

    static int liveProgressAdded;

    static Node Banner(string status, IReadOnlyList<string> commands) =>
        HtmlBuilder.El("div", [("class", "ml-loaded")], HtmlBuilder.Join([(Node)$"MultiLabel.Interactive loaded: {status}. Magic commands: ",
            .. commands.Select((c, i) => HtmlBuilder.Join([HtmlBuilder.El("code", c), i < commands.Count - 1 ? ", " : "."]))]));

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
}
