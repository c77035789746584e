using MultiLabel.Views;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using MultiLabel.Interactive.Formatting;
using MultiLabel.Vision.Native;

namespace MultiLabel.Interactive.Directives;

/// <summary><c>#!device [--libtorch folder]</c>: loads libtorch if needed and shows backend, device, libtorch and patch.</summary>
static class DeviceDirective
{
    public static void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!device")
        {
            Description = "Shows the torch backend in use (CUDA when available, else CPU) and how to enable a GPU",
            Parameters = [new KernelDirectiveParameter("--libtorch", "A libtorch folder to use, e.g. PyTorch's torch/lib (before any torch use)")],
        };
        kernel.AddDirective<DeviceCommand>(directive, (command, context) =>
        {
            try
            {
                if (!string.IsNullOrWhiteSpace(command.Libtorch)) TorchRuntime.UseLibTorchFolder(command.Libtorch);
                var report = Vision.Models.Pretrained.RuntimeReport.Describe();
                context.DisplayAs(RuntimeReportHtml.Render(report), "text/html");
            }
            catch (Exception e) when (e is InvalidOperationException or DirectoryNotFoundException or DllNotFoundException or ArgumentException)
            {
                context.Fail(command, message: e.Message);
            }
            return Task.CompletedTask;
        });
    }
}
