using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace MultiLabel.Views;

/// <summary>A tensor as PyTorch prints it: <c>tensor([[0.4464, -0.1470]])</c>, long dimensions elided with "...".
/// Written here because TorchSharp's own <c>ToString(style)</c> makes temporary Scalars (see the reliability notes).</summary>
static class TensorText
{
    const int EdgeItems = 3, Threshold = 10;

    public static string Render(Tensor t)
    {
        using var scope = NewDisposeScope();
        var shape = t.shape;
        bool integral = !t.is_floating_point() && !t.is_complex();
        var values = t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var text = new StringBuilder("tensor(");
        if (shape.Length == 0) text.Append(Number(values[0], integral));
        else Append(text, values, shape, 0, 0, integral, indent: 8);
        if (t.dtype is not (ScalarType.Float32 or ScalarType.Int64)) text.Append(", dtype=").Append(t.dtype.ToString().ToLowerInvariant());
        return text.Append(')').ToString();
    }

    static void Append(StringBuilder text, double[] values, long[] shape, int dim, long offset, bool integral, int indent)
    {
        long stride = shape.Skip(dim + 1).Aggregate(1L, (a, b) => a * b);
        var indices = Elided(shape[dim]);
        text.Append('[');
        for (int i = 0; i < indices.Count; i++)
        {
            if (i > 0) text.Append(dim == shape.Length - 1 ? ", " : ",\n" + new string(' ', indent + dim));
            if (indices[i] < 0) { text.Append("..."); continue; }
            if (dim == shape.Length - 1) text.Append(Number(values[offset + indices[i]], integral));
            else Append(text, values, shape, dim + 1, offset + indices[i] * stride, integral, indent);
        }
        text.Append(']');
    }

    // Every index, or the first and last EdgeItems with -1 standing for the elided middle, as PyTorch does.
    static List<long> Elided(long length) =>
        length <= Threshold ? [.. Enumerable.Range(0, (int)length).Select(i => (long)i)]
            : [.. Enumerable.Range(0, EdgeItems).Select(i => (long)i), -1, .. Enumerable.Range(0, EdgeItems).Select(i => length - EdgeItems + i)];

    static string Number(double v, bool integral) =>
        integral ? v.ToString("0", CultureInfo.InvariantCulture)
            : v == Math.Floor(v) && Math.Abs(v) < 1e6 ? v.ToString("0", CultureInfo.InvariantCulture) + "."
            : v.ToString("0.####", CultureInfo.InvariantCulture);
}
