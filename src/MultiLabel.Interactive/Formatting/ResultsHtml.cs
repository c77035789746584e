using System.Text;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Formatting;

/// <summary>show_results: target and prediction for each item. Multi-label: predicted labels green when right, red when
/// wrong, missed labels struck through. Points: as fastai lays them out, one row per item with the target (red) on the
/// left and the prediction (blue) on the right.</summary>
static class ResultsHtml
{
    public static string Render(ResultsList results) =>
        results.Items.Count > 0 && results.Items.All(i => i is { Target: Point2[], Predicted: Point2[] })
            ? GridHtml.Render(results.Items.SelectMany(PointTiles).ToList(), 2, "ml-results") +
              "<div style=\"font:11px sans-serif;color:#666\">left: target (red); right: prediction (blue)</div>"
            : GridHtml.Render(results.Items.Select(Tile).ToList(), results.Columns, "ml-results") +
              "<div style=\"font:11px sans-serif;color:#666\">target / prediction</div>";

    static IEnumerable<string> PointTiles(ResultItem item) =>
    [
        ImageTile.Render(item.Image, "target", ((Point2[])item.Target, "red")),
        ImageTile.Render(item.Image, "prediction", ((Point2[])item.Predicted, "#1f6fe0")),
    ];

    static string Tile(ResultItem item) => (item.Target, item.Predicted) switch
    {
        (Point2[] target, Point2[] predicted) => ImageTile.Render(item.Image, "", (target, "red"), (predicted, "#1f6fe0")),
        (LabelVector target, LabelVector predicted) => ImageTile.Render(item.Image, Labels(target, predicted)),
        _ => ImageTile.Render(item.Image, ImageTile.Encode($"{item.Target} / {item.Predicted}")),
    };

    static string Labels(LabelVector target, LabelVector predicted)
    {
        var actual = target.Decode().ToHashSet();
        var guessed = predicted.Decode();
        var html = new StringBuilder($"<div>{ImageTile.Encode(target.ToString())}</div><div>");
        foreach (var label in guessed)
            html.Append($"<span class=\"{(actual.Contains(label) ? "ml-right" : "ml-wrong")}\" style=\"color:{(actual.Contains(label) ? "#178a2e" : "#c62828")}\">{ImageTile.Encode(label)}</span> ");
        foreach (var missed in actual.Except(guessed))
            html.Append($"<span class=\"ml-missed\" style=\"color:#999;text-decoration:line-through\">{ImageTile.Encode(missed)}</span> ");
        return html.Append("</div>").ToString();
    }
}
