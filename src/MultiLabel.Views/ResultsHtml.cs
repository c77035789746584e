using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Training;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>show_results: target and prediction for each item. Multi-label: predicted labels green when right, red when
/// wrong, missed labels struck through. Points: as fastai lays them out, one row per item with the target (red) on the
/// left and the prediction (blue) on the right. Any other target: its block's description of both. The target block says
/// what each value holds (labels, points), so a new kind of target needs no change here.</summary>
static class ResultsHtml
{
    public static string Render(ResultsList results)
    {
        var block = results.Target;
        bool points = results.Items.Count > 0 && results.Items.All(i => block.PointsOf(i.Target) is not null && block.PointsOf(i.Predicted) is not null);
        var grid = points
            ? GridHtml.Render(results.Items.SelectMany(item => PointTiles(block, item)), 2, "ml-results")
            : GridHtml.Render(results.Items.Select(item => Tile(block, item)), results.Columns, "ml-results");
        var caption = points ? "left: target (red); right: prediction (blue)" : "target / prediction";
        return Join([grid, El("div", [("class", "ml-caption"), ("style", "font:11px sans-serif;color:#666")], caption)]).Markup;
    }

    static IEnumerable<Node> PointTiles(TargetBlock block, ResultItem item) =>
    [
        ImageTile.Render(item.Image, "target", (block.PointsOf(item.Target)!, "red")),
        ImageTile.Render(item.Image, "prediction", (block.PointsOf(item.Predicted)!, "#1f6fe0")),
    ];

    static Node Tile(TargetBlock block, ResultItem item) =>
        block.LabelsOf(item.Target) is { } target && block.LabelsOf(item.Predicted) is { } predicted
            ? ImageTile.Render(item.Image, Labels(target, predicted))
            : ImageTile.Render(item.Image, $"{block.DescribeDecoded(item.Target)} / {block.DescribeDecoded(item.Predicted)}");

    static Node Labels(LabelVector target, LabelVector predicted)
    {
        var actual = target.Decode().ToHashSet();
        var guessed = predicted.Decode();
        var chips = guessed.Select(label => actual.Contains(label)
                ? El("span", [("class", "ml-right"), ("style", "color:#178a2e")], label)
                : El("span", [("class", "ml-wrong"), ("style", "color:#c62828")], label))
            .Concat(actual.Except(guessed).Select(missed => El("span", [("class", "ml-missed"), ("style", "color:#999;text-decoration:line-through")], missed)));
        return Join([El("div", target.ToString()), El("div", Join(chips.SelectMany(c => new[] { c, (Node)" " })))]);
    }
}
