using MultiLabel.Vision.Tensors;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Tensors;

public sealed class MemoryLayoutTests
{
    [Fact]
    public void Channels_last_keeps_shape_and_values_with_channels_innermost()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        var cl = MemoryLayout.ToChannelsLast(x);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, cl.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, cl.stride());
        Assert.True(MemoryLayout.IsChannelsLast(cl));
        Assert.False(MemoryLayout.IsChannelsLast(x));
        Assert.True(cl.equal(x).all().item<bool>());
        var bf = MemoryLayout.ToChannelsLast(x, ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf.dtype);
        Assert.True(MemoryLayout.IsChannelsLast(bf));
        Assert.True(bf.to(ScalarType.Float32).equal(x).all().item<bool>()); // small integers are exact in bfloat16
    }

    [Fact]
    public void A_view_like_a_channels_last_tensor_orders_the_flat_buffer_as_that_tensor_is_in_memory()
    {
        using var scope = NewDisposeScope();
        var weight = MemoryLayout.ToChannelsLast(randn(4, 3, 2, 2));
        var flat = zeros(weight.numel());
        var view = MemoryLayout.ViewLike(flat, weight);
        view.copy_(weight);

        Assert.Equal(weight.shape, view.shape);
        Assert.Equal(weight.stride(), view.stride());
        Assert.True(flat.equal(weight.permute(0, 2, 3, 1).reshape(-1)).all().item<bool>());

        var plain = randn(4, 3, 2, 2);
        var flat2 = zeros(plain.numel());
        MemoryLayout.ViewLike(flat2, plain).copy_(plain);
        Assert.True(flat2.equal(plain.reshape(-1)).all().item<bool>());
    }
}
