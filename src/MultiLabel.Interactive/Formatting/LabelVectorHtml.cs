using System.Globalization;
using System.Net;
using System.Text;
using MultiLabel.Vision.Data;

namespace MultiLabel.Interactive.Formatting;

/// <summary>A label vector as named chips: targets as on/off chips, probabilities as bars with the threshold marked.</summary>
static class LabelVectorHtml
{
    public static string Render(LabelVector vector)
    {
        var html = new StringBuilder();
        bool oneHot = vector.IsOneHot;
        html.Append("<div class=\"ml-labels\" style=\"display:flex;flex-wrap:wrap;gap:4px;font-family:sans-serif;font-size:12px\">");
        for (int i = 0; i < vector.Vocab.Count; i++)
        {
            float value = vector.Values[i];
            bool on = value > vector.Threshold;
            var name = WebUtility.HtmlEncode(vector.Vocab[i]);
            var border = on ? "#2a7ae2" : "#ccc";
            html.Append(CultureInfo.InvariantCulture,
                $"<span class=\"ml-chip{(on ? " ml-on" : "")}\" title=\"{name}: {value:0.###}\" style=\"border:1px solid {border};border-radius:10px;padding:1px 8px;");
            if (oneHot)
                html.Append(on ? "background:#2a7ae2;color:#fff\">" : "color:#999\">").Append(name);
            else
                html.Append(CultureInfo.InvariantCulture,
                    $"background:linear-gradient(90deg,#9cc3f5 {value * 100:0.#}%,transparent {value * 100:0.#}%)\">{name} {value:0.00}");
            html.Append("</span>");
        }
        html.Append("</div>");
        if (!oneHot)
            html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:11px;color:#666\">threshold {vector.Threshold:0.##}: {WebUtility.HtmlEncode(vector.ToString())}</div>");
        return html.ToString();
    }
}
