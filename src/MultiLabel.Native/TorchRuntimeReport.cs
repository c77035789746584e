using System.Text;

namespace MultiLabel.Native;

/// <summary>What start-up found and did; <see cref="ToString"/> is the text users see.</summary>
public sealed record TorchRuntimeReport(
    string Backend,
    string DeviceName,
    int CudaDeviceCount,
    string LibTorchFolder,
    string LibTorchSource,
    string LibTorchSharpPath,
    bool PatchApplied,
    IReadOnlyList<string> WeakenedVersions,
    string? LibStdCxxPath,
    int Threads,
    bool MallocTuned,
    bool MkldnnEnabled,
    string? MkldnnNote,
    bool NnpackEnabled)
{
    /// <summary>Whether tensors go to a CUDA device.</summary>
    public bool IsCuda => Backend == "CUDA";
    /// <summary>Whether cuDNN picks convolution algorithms by timing them (CUDA only).</summary>
    public bool CudnnBenchmark { get; init; }
    /// <summary>Which ImageNet weights are at hand (filled by the layer that knows them; this assembly does not).</summary>
    public string? Weights { get; init; }
    /// <summary>The CPU flag showing native bfloat16 arithmetic (avx512_bf16, amx_bf16), or null.</summary>
    public string? CpuBfloat16Flag { get; init; }

    /// <summary>Whether this machine computes bfloat16 natively where training runs: a GPU, or a CPU with avx512_bf16 /
    /// amx_bf16 and oneDNN on (elsewhere libtorch emulates it, 11–25× slower than float32).</summary>
    public bool NativeBfloat16 => IsCuda || (CpuBfloat16Flag is not null && MkldnnEnabled);

    /// <summary>Whether <c>learn.ToBf16()</c> pays on this CPU, from what was measured: native bfloat16 helps only through
    /// oneDNN (ResNet-18 at 240×320: 204 ms against 357 ms float32); with oneDNN off it is 11–25× slower than float32.</summary>
    public string Bfloat16Advice => CpuBfloat16Flag is not { } flag
        ? "emulated on this CPU (no avx512_bf16 / amx_bf16): keep float32 on the CPU"
        : MkldnnEnabled
            ? $"native on this CPU ({flag}) with oneDNN: learn.ToBf16() can train faster here"
            : $"native on this CPU ({flag}), but oneDNN is off, and without it bfloat16 trains 11–25× slower: keep float32";

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"backend:        {Backend} ({DeviceName}{(CudaDeviceCount > 1 ? $", {CudaDeviceCount} GPUs" : "")})");
        text.AppendLine($"libtorch:       {LibTorchFolder} [{LibTorchSource}]");
        text.AppendLine($"LibTorchSharp:  {LibTorchSharpPath}");
        text.AppendLine(PatchApplied
            ? $"GLIBCXX patch:  applied (weak: {string.Join(", ", WeakenedVersions)}; system libstdc++ {LibStdCxxPath})"
            : $"GLIBCXX patch:  not needed (system libstdc++ {LibStdCxxPath ?? "not found"})");
        text.AppendLine($"threads:        {Threads}");
        text.AppendLine($"malloc tuning:  {(MallocTuned ? "on" : "off")}");
        text.AppendLine($"NNPACK:         {(NnpackEnabled ? "on" : "off")}");
        text.Append($"oneDNN:         {(MkldnnEnabled ? "on" : "off")}{(MkldnnNote is null ? "" : $" ({MkldnnNote})")}");
        if (IsCuda) text.AppendLine().Append($"cuDNN autotune: {(CudnnBenchmark ? "on" : "off")}");
        else text.AppendLine().Append($"bfloat16:       {Bfloat16Advice}");
        if (Weights is not null) text.AppendLine().Append($"weights:        {Weights}");
        if (!IsCuda)
            text.AppendLine().Append("GPU:            none found. For CUDA add the TorchSharp-cuda-linux package, or set MULTILABEL_LIBTORCH to a CUDA libtorch folder (e.g. PyTorch's torch/lib) before the first torch call.");
        return text.ToString();
    }
}
