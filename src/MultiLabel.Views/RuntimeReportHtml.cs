using MultiLabel.Native;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

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
            ("ImageNet weights", report.Weights ?? Vision.Models.Pretrained.TorchvisionWeights.Summary()),
        };
        var table = El("table", [("class", "ml-runtime")],
            rows.Select(row => El("tr", El("th", [("style", "text-align:left")], row.Item1), El("td", [("style", "text-align:left")], row.Item2))));
        if (report.IsCuda) return table.Markup;
        var variable = TorchRuntime.LibTorchVariable;
        var help = El("p", [("class", "ml-gpu-help"), ("style", "font-size:12px")],
            "No GPU in use. To train on CUDA, restart the kernel and, before loading this package, either add ", El("code", "#r \"nuget: TorchSharp-cuda-linux\""),
            " or point ", El("code", variable), " at a CUDA libtorch folder such as PyTorch's ", El("code", "torch/lib"),
            " (", El("code", $"Environment.SetEnvironmentVariable(\"{variable}\", \"/path/to/torch/lib\")"), ").");
        return Join([table, help]).Markup;
    }
}
