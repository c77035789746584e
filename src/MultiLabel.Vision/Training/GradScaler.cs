namespace MultiLabel.Vision.Training;

/// <summary>
/// Dynamic loss scaling for float16 training, as PyTorch's <c>torch.cuda.amp.GradScaler</c> (which fastai's
/// <c>to_fp16</c> uses, with its defaults): the loss is multiplied by <see cref="Scale"/> before the backward pass so that
/// small gradients survive float16's narrow range, and the optimizer divides them back in float32. A step whose gradients
/// overflowed (an infinity or NaN) is skipped and the scale multiplied by <see cref="BackoffFactor"/>; after
/// <see cref="GrowthInterval"/> steps in a row without overflow it is multiplied by <see cref="GrowthFactor"/>.
/// bfloat16 has float32's range and needs none of this.
/// </summary>
public sealed class GradScaler
{
    /// <param name="initScale">The first scale (PyTorch's 2¹⁶).</param>
    /// <param name="growthFactor">Applied after <paramref name="growthInterval"/> steps without overflow (&gt; 1).</param>
    /// <param name="backoffFactor">Applied when a step overflows (between 0 and 1).</param>
    /// <param name="growthInterval">Steps without overflow before the scale grows (≥ 1).</param>
    public GradScaler(double initScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale)) throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "initScale must be a finite positive number.");
        if (!(growthFactor > 1) || double.IsInfinity(growthFactor)) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "growthFactor must be a finite number above 1.");
        if (!(backoffFactor > 0 && backoffFactor < 1)) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "backoffFactor must be between 0 and 1.");
        if (growthInterval < 1) throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "growthInterval must be at least 1.");
        (Scale, GrowthFactor, BackoffFactor, GrowthInterval) = (initScale, growthFactor, backoffFactor, growthInterval);
    }

    /// <summary>What the loss is multiplied by before the backward pass.</summary>
    public double Scale { get; private set; }
    /// <summary>What the scale is multiplied by after <see cref="GrowthInterval"/> clean steps.</summary>
    public double GrowthFactor { get; }
    /// <summary>What the scale is multiplied by after an overflow.</summary>
    public double BackoffFactor { get; }
    /// <summary>Clean steps in a row before the scale grows.</summary>
    public int GrowthInterval { get; }
    /// <summary>Clean steps since the last growth or overflow.</summary>
    public int CleanSteps { get; private set; }
    /// <summary>Steps skipped because their gradients overflowed.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>After each step: backs off when the gradients overflowed (the step was skipped), else counts towards
    /// growth. Scales stay within float32's finite range, as PyTorch's do.</summary>
    public void Update(bool overflowed)
    {
        if (overflowed)
        {
            Scale = Math.Max(Scale * BackoffFactor, float.Epsilon);
            CleanSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++CleanSteps < GrowthInterval) return;
        CleanSteps = 0;
        if (Scale * GrowthFactor <= float.MaxValue) Scale *= GrowthFactor;
    }

    /// <summary>"dynamic loss scale 65536 (grows ×2 after 2000 clean steps, ×0.5 on overflow)".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"dynamic loss scale {Scale:G6} (grows ×{GrowthFactor:G3} after {GrowthInterval} clean steps, ×{BackoffFactor:G3} on overflow)");
}
