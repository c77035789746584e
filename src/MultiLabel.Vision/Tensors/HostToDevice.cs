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
    /// <summary><paramref name="values"/> as a tensor of <paramref name="shape"/> (1-D when none) on <paramref name="device"/>.</summary>
    public static Tensor FromArray(float[] values, Device device, params long[] shape) =>
        OnDevice(tensor(values, shape.Length == 0 ? [values.Length] : shape), device);

    /// <summary><paramref name="values"/> as an int64 tensor of <paramref name="shape"/> (1-D when none) on <paramref name="device"/>.</summary>
    public static Tensor FromArray(long[] values, Device device, params long[] shape) =>
        OnDevice(tensor(values, shape.Length == 0 ? [values.Length] : shape), device);

    /// <summary>Interleaved RGB bytes (B×H×W×3) as a float B×3×H×W batch in 0..1 on <paramref name="device"/>: the bytes
    /// travel, the conversion runs on the device.</summary>
    public static Tensor Images(byte[] pixels, int count, int height, int width, Device device)
    {
        using var scope = NewDisposeScope();
        var bytes = OnDevice(tensor(pixels, [count, height, width, 3], ScalarType.Byte), device);
        return bytes.permute(0, 3, 1, 2).to(ScalarType.Float32).div_(Scalars.ByteMax).MoveToOuterDisposeScope();
    }

    /// <summary>A new CPU tensor on <paramref name="device"/> (itself on the CPU), through pinned memory to a GPU.</summary>
    static Tensor OnDevice(Tensor host, Device device)
    {
        if (device.type == DeviceType.CPU) return host;
        using (host)
        {
            if (device.type != DeviceType.CUDA) return host.to(device);
            using var pinned = host.pin_memory();
            return pinned.to(device, non_blocking: true);
        }
    }
}
