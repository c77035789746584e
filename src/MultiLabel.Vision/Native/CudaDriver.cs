using System.Runtime.InteropServices;

namespace MultiLabel.Vision.Native;

/// <summary>Reads the GPU's name through the CUDA driver API (libcuda.so.1), which TorchSharp does not expose.</summary>
static unsafe class CudaDriver
{
    public static string? DeviceName(int ordinal)
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var cuda)) return null;
        if (!NativeLibrary.TryGetExport(cuda, "cuInit", out var init)
            || !NativeLibrary.TryGetExport(cuda, "cuDeviceGet", out var get)
            || !NativeLibrary.TryGetExport(cuda, "cuDeviceGetName", out var getName)) return null;
        if (((delegate* unmanaged<uint, int>)init)(0) != 0) return null;
        int device;
        if (((delegate* unmanaged<int*, int, int>)get)(&device, ordinal) != 0) return null;
        var buffer = stackalloc byte[256];
        if (((delegate* unmanaged<byte*, int, int, int>)getName)(buffer, 256, device) != 0) return null;
        return Marshal.PtrToStringUTF8((IntPtr)buffer);
    }
}
