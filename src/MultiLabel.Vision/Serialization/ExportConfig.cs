using System.Text.Json;
using System.Text.Json.Serialization;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Transforms;

namespace MultiLabel.Vision.Serialization;

/// <summary>
/// What rebuilds an exported learner's model and inference pipeline: the JSON beside a PyTorch export and inside a
/// <c>.mlx</c> (<c>pytorch/multilabel_model.py</c> reads and writes it too). Serialised with System.Text.Json's source
/// generator (<see cref="ExportJson"/>) and checked once, on load, by <see cref="Read"/>: every error names the file.
/// </summary>
public sealed record ExportConfig
{
    /// <summary>The version of this JSON's layout.</summary>
    public const int CurrentFormat = 1;
    /// <summary>The most outputs, labels and pixels per side an export may declare.</summary>
    public const int MaxOutputs = 100_000, MaxSide = 8192;

    /// <summary>The layout's version (<see cref="CurrentFormat"/>).</summary>
    public int Format { get; init; } = CurrentFormat;
    /// <summary>The body's architecture (resnet18, resnet34, resnet50).</summary>
    public required string Arch { get; init; }
    /// <summary>Whether the body has the bundled CNTK ResNet-18's layout.</summary>
    public bool CntkLayout { get; init; }
    /// <summary>The head's outputs.</summary>
    public int Outputs { get; init; }
    /// <summary>fastai's y_range (low, high), or null.</summary>
    public double[]? YRange { get; init; }
    /// <summary>The target's kind (MultiLabel, Category, Points, Regression).</summary>
    public required string Kind { get; init; }
    /// <summary>The labels of a categorical target.</summary>
    public string[]? Vocab { get; init; }
    /// <summary>The decoding threshold of a multi-label model.</summary>
    public float Threshold { get; init; }
    /// <summary>The validation item transforms, in order.</summary>
    public ItemTransformConfig[] ItemTransforms { get; init; } = [];
    /// <summary>The batch resize (height, width), or null.</summary>
    public int[]? Resize { get; init; }
    /// <summary>The normalisation statistics, or null.</summary>
    public NormalizeConfig? Normalize { get; init; }
    /// <summary>Which state dict the JSON describes (a PyTorch export's file and its key names).</summary>
    public StateDictConfig? StateDict { get; init; }

    /// <summary>The JSON, indented.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ExportJson.Default.ExportConfig);

    /// <summary>Parses and checks <paramref name="json"/>; <paramref name="location"/> names the file in errors.</summary>
    public static ExportConfig Read(ReadOnlySpan<byte> json, string location)
    {
        ExportConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ExportJson.Default.ExportConfig);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{location}' is not an export's description: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"'{location}' is empty (null), not an export's description.");
        config.Check(location);
        return config;
    }

    void Check(string location)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"'{location}': {what}");
        }
        Require(Format == CurrentFormat, $"export format {Format}; this version reads {CurrentFormat}.");
        Require(ResNets.All.Any(a => a.Name == Arch), $"unknown architecture '{Arch}'; known: {string.Join(", ", ResNets.All.Select(a => a.Name))}.");
        Require(Outputs is >= 1 and <= MaxOutputs, $"declares {Outputs} outputs (1 to {MaxOutputs:N0}).");
        Require(Vocab is null || Vocab.All(v => v is not null), "a label of the vocabulary is null.");
        Target(location); // the target block checks its kind, vocabulary and outputs
        Require(float.IsFinite(Threshold) && Threshold is >= 0 and <= 1, $"threshold {Threshold} is not between 0 and 1.");
        Require(YRange is null || (YRange.Length == 2 && YRange.All(double.IsFinite) && YRange[0] < YRange[1]), "yRange must be [low, high] with low < high.");
        Require(ItemTransforms is not null, "itemTransforms is missing.");
        foreach (var t in ItemTransforms!) t.Check(location);
        Require(Resize is null || (Resize.Length == 2 && Resize.All(Side)), $"resize must be [height, width], each 1 to {MaxSide}.");
        Require(Normalize is null || Normalize.IsValid, "normalize needs three finite means and three positive finite standard deviations.");
    }

    /// <summary>The fitted target block the description names; errors name the file.</summary>
    internal TargetBlock Target(string location)
    {
        try
        {
            return TargetBlock.FromExport(Kind, Vocab, Outputs);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{location}': {e.Message}", e);
        }
    }

    internal static bool Side(int pixels) => pixels is >= 1 and <= MaxSide;
}

/// <summary>One validation item transform: Resize (height, width, method, padMode) or RandomResizedCrop (height, width,
/// minScale, valXtra).</summary>
public sealed record ItemTransformConfig(string Type, int Height, int Width,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PadMode = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MinScale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValXtra = null)
{
    /// <summary>The configuration of <paramref name="transform"/>; only the two exportable transforms have one.</summary>
    public static ItemTransformConfig Of(IItemTransform transform) => transform switch
    {
        Transforms.Resize r => new("Resize", r.Height, r.Width, Method: r.Method.ToString(), PadMode: r.PadMode.ToString()),
        RandomResizedCrop c => new("RandomResizedCrop", c.Height, c.Width, MinScale: c.MinScale, ValXtra: c.ValXtra),
        _ => throw new NotSupportedException($"The item transform {transform.GetType().Name} cannot be exported (only Resize and RandomResizedCrop)."),
    };

    /// <summary>The transform it describes (after <see cref="ExportConfig.Read"/> has checked it).</summary>
    public IItemTransform Build() => Type == "Resize"
        ? new Transforms.Resize(Height, Width, Enum.Parse<ResizeMethod>(Method!), Enum.Parse<PadMode>(PadMode!))
        : new RandomResizedCrop(Height, Width, MinScale!.Value, valXtra: ValXtra!.Value);

    internal void Check(string location)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"'{location}': item transform {Type}: {what}");
        }
        Require(Type is "Resize" or "RandomResizedCrop", "unknown type; known: Resize, RandomResizedCrop.");
        Require(ExportConfig.Side(Height) && ExportConfig.Side(Width), $"size {Height}×{Width} is not 1 to {ExportConfig.MaxSide} pixels a side.");
        if (Type == "Resize")
        {
            Require(Enum.TryParse<ResizeMethod>(Method, out var m) && Enum.IsDefined(m), $"unknown method '{Method}'.");
            Require(Enum.TryParse<PadMode>(PadMode, out var p) && Enum.IsDefined(p), $"unknown padMode '{PadMode}'.");
        }
        else
            Require(MinScale is > 0 and <= 1 && ValXtra is >= 0 and < 10, "needs minScale in (0, 1] and valXtra in [0, 10).");
    }
}

/// <summary>fastai's Normalize statistics, per channel.</summary>
public sealed record NormalizeConfig(float[] Mean, float[] Std)
{
    internal bool IsValid => Mean is { Length: 3 } && Std is { Length: 3 } && Mean.All(float.IsFinite) && Std.All(s => float.IsFinite(s) && s > 0);
}

/// <summary>The state dict a PyTorch export's JSON describes: its file name and how its keys are named.</summary>
public sealed record StateDictConfig(string File, string Names);

/// <summary>System.Text.Json's generated (reflection-free) serializer for <see cref="ExportConfig"/>: camelCase, as the
/// PyTorch scripts read it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.Strict, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ExportConfig))]
public sealed partial class ExportJson : JsonSerializerContext;
