using MultiLabel.Vision.Data.Loading;

namespace MultiLabel.Interactive.Formatting;

/// <summary>show_batch: each image titled with its labels joined by ';', or with its keypoints as red dots.</summary>
static class ShowBatchHtml
{
    public static string Render(ShowBatchData data) =>
        GridHtml.Render(data.Items.Select(item => ImageTile.Render(item.Image, ImageTile.Encode(item.Points is null ? item.Title : ""),
            item.Points is null ? [] : [(item.Points, "red")])).ToList(), data.Columns, "ml-batch") +
        $"<div style=\"font:11px sans-serif;color:#666\">{data.Items.Count} {(data.Valid ? "validation" : "training")} items, {data.Rows}×{data.Columns}</div>";
}
