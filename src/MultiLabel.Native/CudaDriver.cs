using System.Runtime.InteropServices;

namespace MultiLabel.Native;

/// <summary>Reads the GPU's name and memory use through the CUDA driver API (libcuda.so.1), which TorchSharp does not expose.</summary>
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

    /// <summary>Bytes in use and in total on the device of the calling thread's current context (libtorch makes the primary
    /// context current on threads that ran CUDA work); null without one. Counts what libtorch's allocator holds cached.</summary>
    public static (long Used, long Total)? Memory()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var cuda)
            || !NativeLibrary.TryGetExport(cuda, "cuMemGetInfo_v2", out var getInfo)) return null;
        nuint free, total;
        if (((delegate* unmanaged<nuint*, nuint*, int>)getInfo)(&free, &total) != 0) return null;
        return ((long)(total - free), (long)total);
    }
}
