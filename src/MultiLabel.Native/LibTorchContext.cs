using System.Runtime.InteropServices;

namespace MultiLabel.Native;

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
        var setter = Export(libtorchCpu, setterName);
        if (setter == IntPtr.Zero || GlobalContext(libtorchCpu) is not { } context) return false;
        ((delegate* unmanaged<IntPtr, byte, void>)setter)(context, value ? (byte)1 : (byte)0);
        return true;
    }

    /// <summary>Reads a boolean flag through its const getter, e.g. benchmarkCuDNN; null when the symbol is absent.</summary>
    public static bool? TryGetFlag(IntPtr libtorchCpu, string getterName)
    {
        var getter = Export(libtorchCpu, getterName);
        if (getter == IntPtr.Zero || GlobalContext(libtorchCpu) is not { } context) return null;
        return ((delegate* unmanaged<IntPtr, byte>)getter)(context) != 0;
    }

    /// <summary>at::globalContext(), or null when libtorch_cpu does not export it.</summary>
    static IntPtr? GlobalContext(IntPtr libtorchCpu)
    {
        var globalContext = Export(libtorchCpu, "_ZN2at13globalContextEv");
        return globalContext == IntPtr.Zero ? null : ((delegate* unmanaged<IntPtr>)globalContext)();
    }

    public const string SetMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    public const string SetNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
    public const string SetBenchmarkCudnn = "_ZN2at7Context17setBenchmarkCuDNNEb";
    public const string GetBenchmarkCudnn = "_ZNK2at7Context14benchmarkCuDNNEv";
}
