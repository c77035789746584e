using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tensors;

/// <summary>
/// Host data to a device without stalling the GPU. A plain copy from ordinary memory makes libtorch wait for every queued
/// GPU operation (the previous step's backward pass) before it returns, so each small per-batch tensor (augmentation
/// matrices, lighting factors) would empty the GPU's queue. Through page-locked memory the copy is queued like a
/// kernel and the host goes on; libtorch's pinned-memory cache keeps the staging block until the copy has run.
/// </summary>
public static class HostToDevice
{
    /// <summary><paramref name="host"/> (a CPU tensor) on <paramref name="device"/>; the tensor itself when that is the CPU.</summary>
    public static Tensor Copy(Tensor host, Device device)
    {
        if (device.type != DeviceType.CUDA) return host.to(device);
        using var pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }

    public static Tensor FromArray(float[] values, Device device, params long[] shape)
    {
        using var host = tensor(values, shape.Length == 0 ? [values.Length] : shape);
        return device.type == DeviceType.CUDA ? Copy(host, device) : host.alias();
    }

    public static Tensor FromArray(long[] values, Device device, params long[] shape)
    {
        using var host = tensor(values, shape.Length == 0 ? [values.Length] : shape);
        return device.type == DeviceType.CUDA ? Copy(host, device) : host.alias();
    }
}
