using System.Runtime.InteropServices;

namespace MultiLabel.Vision.Native;

/// <summary>
/// libtorch's global switches that TorchSharp does not expose (PyTorch's torch.backends.*.enabled),
/// reached through at::globalContext() in libtorch_cpu.so.
/// </summary>
static unsafe class LibTorchContext
{
    static IntPtr Export(IntPtr library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address) ? address : IntPtr.Zero;

    /// <summary>Sets a boolean user flag on at::Context, e.g. setUserEnabledMkldnn; false when the symbol is absent.</summary>
    public static bool TrySetFlag(IntPtr libtorchCpu, string setterName, bool value)
    {
        var globalContext = Export(libtorchCpu, "_ZN2at13globalContextEv");
        var setter = Export(libtorchCpu, setterName);
        if (globalContext == IntPtr.Zero || setter == IntPtr.Zero) return false;
        var context = ((delegate* unmanaged<IntPtr>)globalContext)();
        ((delegate* unmanaged<IntPtr, byte, void>)setter)(context, value ? (byte)1 : (byte)0);
        return true;
    }

    public const string SetMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    public const string SetNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
}
