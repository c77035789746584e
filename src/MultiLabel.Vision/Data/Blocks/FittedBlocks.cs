namespace MultiLabel.Vision.Data.Blocks;

/// <summary>Rebuilds the fitted target block an export describes (its kind, vocabulary and output count).</summary>
internal static class FittedBlocks
{
    public static TargetBlock For(TargetKind kind, IReadOnlyList<string>? vocab, int outputs) => kind switch
    {
        TargetKind.MultiLabel => new MultiCategoryBlock(vocab ?? throw new InvalidDataException("A multi-label export needs its vocabulary.")),
        TargetKind.Category => new CategoryBlock(vocab ?? throw new InvalidDataException("A category export needs its vocabulary.")),
        TargetKind.Points when outputs % 2 == 0 => PointBlock.Fitted(outputs / 2),
        TargetKind.Points => throw new InvalidDataException($"A point export needs an even number of outputs, not {outputs}."),
        TargetKind.Regression => RegressionBlock.Fitted(outputs),
        _ => throw new InvalidDataException($"Unknown target kind {kind}."),
    };
}
