using MultiLabel.Views;
using Microsoft.DotNet.Interactive.Commands;

namespace MultiLabel.Interactive.Directives;

/// <summary>Parameters of <c>#!device</c>.</summary>
public sealed class DeviceCommand : KernelDirectiveCommand
{
    /// <summary>A libtorch folder to load (e.g. PyTorch's torch/lib for CUDA); only before the first torch call.</summary>
    public string? Libtorch { get; set; }
}
