using System.Net;
using System.Text;
using MultiLabel.Vision.Native;

namespace MultiLabel.Interactive.Formatting;

/// <summary>The start-up report as a small table, with how to get a GPU when there is none.</summary>
static class RuntimeReportHtml
{
    public static string Render(TorchRuntimeReport report)
    {
        var rows = new (string, string)[]
        {
            ("backend", $"{report.Backend} ({report.DeviceName})"),
            ("libtorch", $"{report.LibTorchFolder} [{report.LibTorchSource}]"),
            ("LibTorchSharp", report.LibTorchSharpPath),
            ("GLIBCXX patch", report.PatchApplied ? $"applied (weak: {string.Join(", ", report.WeakenedVersions)})" : "not needed"),
            ("threads", report.Threads.ToString()),
            ("oneDNN", report.MkldnnEnabled ? "on" : $"off ({report.MkldnnNote})"),
            report.IsCuda
                ? ("cuDNN autotune", report.CudnnBenchmark ? "on" : "off")
                : ("bfloat16", report.Bfloat16Advice),
            ("ImageNet weights", Vision.Models.Pretrained.TorchvisionWeights.Summary()),
        };
        var html = new StringBuilder("<table class=\"ml-runtime\">");
        foreach (var (name, value) in rows)
            html.Append($"<tr><th style=\"text-align:left\">{name}</th><td style=\"text-align:left\">{WebUtility.HtmlEncode(value)}</td></tr>");
        html.Append("</table>");
        if (!report.IsCuda)
            html.Append("<p style=\"font-size:12px\">No GPU in use. To train on CUDA, restart the kernel and, before loading this package, either add <code>#r \"nuget: TorchSharp-cuda-linux\"</code> ")
                .Append($"or point <code>{TorchRuntime.LibTorchVariable}</code> at a CUDA libtorch folder such as PyTorch's <code>torch/lib</code> ")
                .Append($"(<code>Environment.SetEnvironmentVariable(\"{TorchRuntime.LibTorchVariable}\", \"/path/to/torch/lib\")</code>).</p>");
        return html.ToString();
    }
}
