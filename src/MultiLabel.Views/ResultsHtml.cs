using MultiLabel.Vision.Data;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Training;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>show_results: target and prediction for each item. Multi-label: predicted labels green when right, red when
/// wrong, missed labels struck through. Points: as fastai lays them out, one row per item with the target (red) on the
/// left and the prediction (blue) on the right.</summary>
static class ResultsHtml
{
    public static string Render(ResultsList results)
    {
        bool points = results.Items.Count > 0 && results.Items.All(i => i is { Target: Point2[], Predicted: Point2[] });
        var grid = points
            ? GridHtml.Render(results.Items.SelectMany(PointTiles), 2, "ml-results")
            : GridHtml.Render(results.Items.Select(Tile), results.Columns, "ml-results");
        var caption = points ? "left: target (red); right: prediction (blue)" : "target / prediction";
        return Join([grid, El("div", [("class", "ml-caption"), ("style", "font:11px sans-serif;color:#666")], caption)]).Markup;
    }

    static IEnumerable<Node> PointTiles(ResultItem item) =>
    [
        ImageTile.Render(item.Image, "target", ((Point2[])item.Target, "red")),
        ImageTile.Render(item.Image, "prediction", ((Point2[])item.Predicted, "#1f6fe0")),
    ];

    static Node Tile(ResultItem item) => (item.Target, item.Predicted) switch
    {
        (Point2[] target, Point2[] predicted) => ImageTile.Render(item.Image, "", (target, "red"), (predicted, "#1f6fe0")),
        (LabelVector target, LabelVector predicted) => ImageTile.Render(item.Image, Labels(target, predicted)),
        _ => ImageTile.Render(item.Image, $"{item.Target} / {item.Predicted}"),
    };

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
