using MultiLabel.Vision.Data;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary>A label vector as named chips: targets as on/off chips, probabilities as bars with the threshold marked.</summary>
static class LabelVectorHtml
{
    public static string Render(LabelVector vector)
    {
        bool oneHot = vector.IsOneHot;
        var chips = vector.Vocab.Select((name, i) =>
        {
            float value = vector.Values[i];
            bool on = value > vector.Threshold;
            var border = $"border:1px solid {(on ? "#2a7ae2" : "#ccc")};border-radius:10px;padding:1px 8px;";
            var style = oneHot
                ? border + (on ? "background:#2a7ae2;color:#fff" : "color:#999")
                : border + $"background:linear-gradient(90deg,#9cc3f5 {N(value * 100, "0.#")}%,transparent {N(value * 100, "0.#")}%)";
            return El("span", [("class", on ? "ml-chip ml-on" : "ml-chip"), ("title", $"{name}: {N(value, "0.###")}"), ("style", style)],
                oneHot ? name : $"{name} {N(value, "0.00")}");
        });
        var html = El("div", [("class", "ml-labels"), ("style", "display:flex;flex-wrap:wrap;gap:4px;font-family:sans-serif;font-size:12px")], chips);
        return oneHot ? html.Markup
            : Join([html, El("div", [("style", "font-size:11px;color:#666")], $"threshold {N(vector.Threshold)}: {vector}")]).Markup;
    }
}
