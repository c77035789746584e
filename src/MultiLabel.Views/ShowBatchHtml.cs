using MultiLabel.Vision.Data.Loading;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>show_batch: each image titled with its labels joined by ';', or with its keypoints as red dots.</summary>
static class ShowBatchHtml
{
    public static string Render(ShowBatchData data) => Join(
    [
        GridHtml.Render(data.Items.Select(item => ImageTile.Render(item.Image, item.Points is null ? item.Title : "",
            item.Points is null ? [] : [(item.Points, "red")])), data.Columns, "ml-batch"),
        El("div", [("class", "ml-caption"), ("style", "font:11px sans-serif;color:#666")],
            $"{data.Items.Count} {(data.Valid ? "validation" : "training")} items, {data.Rows}×{data.Columns}"),
    ]).Markup;
}
