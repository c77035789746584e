using static TorchSharp.torch;

namespace MultiLabel.Vision.Tensors;

/// <summary>
/// Channels-last (NHWC in memory, NCHW in shape) and layout-preserving views. TorchSharp has no memory_format argument,
/// so channels-last tensors are made through permutes; libtorch recognises them by their strides (cuDNN then runs
/// NHWC kernels, which bf16 tensor cores prefer).
/// </summary>
public static class MemoryLayout
{
    /// <summary>A 4-D tensor with the same shape and values whose channels are innermost in memory.</summary>
    public static Tensor ToChannelsLast(Tensor x, ScalarType? dtype = null)
    {
        if (x.dim() != 4) throw new ArgumentException($"channels-last needs a 4-D tensor, got {x.dim()}-D.", nameof(x));
        var nhwc = empty(x.shape[0], x.shape[2], x.shape[3], x.shape[1], dtype: dtype ?? x.dtype, device: x.device);
        nhwc.copy_(x.permute(0, 2, 3, 1)); // one kernel: the layout change and the cast together
        return nhwc.permute(0, 3, 1, 2);
    }

    /// <summary>Whether a 4-D tensor is laid out channels-last (channel stride 1, rows outermost after the batch).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        var s = x.stride();
        var shape = x.shape;
        return s[1] == 1 && s[3] == shape[1] && s[2] == shape[1] * shape[3] && s[0] == shape[1] * shape[2] * shape[3];
    }

    /// <summary>
    /// A view of <paramref name="flat"/> (1-D, <c>like.numel()</c> elements) with <paramref name="like"/>'s shape and the
    /// same order of dimensions in memory, so that element k of two such views of equally laid-out buffers are the same
    /// element of the parameter (the flat optimizer relies on it).
    /// </summary>
    public static Tensor ViewLike(Tensor flat, Tensor like)
    {
        var shape = like.shape;
        var order = MemoryOrder(like);
        var inverse = new long[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        var physical = flat.view(order.Select(d => shape[d]).ToArray());
        return order.Select((d, i) => d == i).All(x => x) ? physical : physical.permute(inverse);
    }

    /// <summary>The dimensions of <paramref name="x"/> from outermost to innermost in memory: permuted so, a tensor laid
    /// out like it is contiguous, and its flat elements are in the order of <see cref="ViewLike"/>'s buffer.</summary>
    public static long[] MemoryOrder(Tensor x)
    {
        var strides = x.stride();
        return Enumerable.Range(0, strides.Length).OrderByDescending(d => strides[d]).ThenBy(d => d).Select(d => (long)d).ToArray();
    }
}
