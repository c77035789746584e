namespace MultiLabel.Vision.Training;

/// <summary>fastai's <c>AMPMode</c>: the half-precision type a <see cref="MixedPrecision"/> learner computes in.</summary>
public enum AmpMode
{
    /// <summary>bfloat16: float32's range, fewer mantissa bits; no loss scaling. Native on recent CPUs (AVX-512 BF16, AMX)
    /// and on GPUs from Ampere on.</summary>
    Bf16,
    /// <summary>float16: more mantissa bits, a narrow range, so the loss is scaled dynamically (<see cref="GradScaler"/>).
    /// What GPUs' tensor cores run fastest; on most CPUs it is emulated and slow.</summary>
    Fp16,
}
