using MultiLabel.Vision.Data.Loading;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Metrics;

/// <summary>Keypoint errors: MSE in [-1, 1] units, and RMSE in pixels of each item's original image
/// (Δx·W/2, Δy·H/2), overall or along one axis. NaN targets are left out.</summary>
public sealed class PointError(string name, PointError.Kind kind) : IMetric
{
    /// <summary>Which error a <see cref="PointError"/> measures.</summary>
    public enum Kind
    {
        /// <summary>Mean squared error in the [-1, 1] units the model predicts (fastai's MSELossFlat value).</summary>
        MseUnit,
        /// <summary>Root mean squared error in original pixels, both axes.</summary>
        RmsePixels,
        /// <summary>Root mean squared error in original pixels along x.</summary>
        RmsePixelsX,
        /// <summary>Root mean squared error in original pixels along y.</summary>
        RmsePixelsY,
    }

    double sum;
    long count;

    /// <inheritdoc/>
    public string Name { get; } = name;
    /// <summary>Mean squared error in [-1, 1] units (<c>mse</c>).</summary>
    public static PointError Mse() => new("mse", Kind.MseUnit);
    /// <summary>Root mean squared error in original pixels (<c>rmse_px</c>).</summary>
    public static PointError RmsePixels() => new("rmse_px", Kind.RmsePixels);
    /// <summary>Root mean squared error along x in original pixels (<c>rmse_px_x</c>).</summary>
    public static PointError RmsePixelsX() => new("rmse_px_x", Kind.RmsePixelsX);
    /// <summary>Root mean squared error along y in original pixels (<c>rmse_px_y</c>).</summary>
    public static PointError RmsePixelsY() => new("rmse_px_y", Kind.RmsePixelsY);

    /// <inheritdoc/>
    public void Reset() => (sum, count) = (0, 0);

    /// <inheritdoc/>
    public void Accumulate(Tensor output, Tensor target, Batch batch)
    {
        using var scope = NewDisposeScope();
        int b = (int)output.shape[0];
        var o = output.to(ScalarType.Float32).reshape(b, -1, 2).cpu().data<float>().ToArray();
        var t = target.to(ScalarType.Float32).reshape(b, -1, 2).cpu().data<float>().ToArray();
        int perItem = o.Length / b;
        for (int i = 0; i < b; i++)
        {
            var (w, h) = batch.OriginalSizes[i];
            for (int k = i * perItem; k < (i + 1) * perItem; k += 2)
            {
                if (float.IsNaN(t[k]) || float.IsNaN(t[k + 1])) continue;
                double dx = o[k] - t[k], dy = o[k + 1] - t[k + 1];
                switch (kind)
                {
                    case Kind.MseUnit: sum += dx * dx + dy * dy; count += 2; break;
                    case Kind.RmsePixels: sum += Math.Pow(dx * w / 2, 2) + Math.Pow(dy * h / 2, 2); count += 2; break;
                    case Kind.RmsePixelsX: sum += Math.Pow(dx * w / 2, 2); count++; break;
                    case Kind.RmsePixelsY: sum += Math.Pow(dy * h / 2, 2); count++; break;
                }
            }
        }
    }

    /// <inheritdoc/>
    public double Value => count == 0 ? double.NaN : kind == Kind.MseUnit ? sum / count : Math.Sqrt(sum / count);
}
