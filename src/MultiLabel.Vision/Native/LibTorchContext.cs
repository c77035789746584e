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

    /// <summary>Reads a boolean flag through its const getter, e.g. benchmarkCuDNN; null when the symbol is absent.</summary>
    public static bool? TryGetFlag(IntPtr libtorchCpu, string getterName)
    {
        var globalContext = Export(libtorchCpu, "_ZN2at13globalContextEv");
        var getter = Export(libtorchCpu, getterName);
        if (globalContext == IntPtr.Zero || getter == IntPtr.Zero) return null;
        var context = ((delegate* unmanaged<IntPtr>)globalContext)();
        return ((delegate* unmanaged<IntPtr, byte>)getter)(context) != 0;
    }

    public const string SetMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    public const string SetNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
    public const string SetBenchmarkCudnn = "_ZN2at7Context17setBenchmarkCuDNNEb";
    public const string GetBenchmarkCudnn = "_ZNK2at7Context14benchmarkCuDNNEv";
}
