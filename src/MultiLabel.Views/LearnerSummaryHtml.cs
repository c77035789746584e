using System.Globalization;
using MultiLabel.Vision.Training;
using static MultiLabel.Views.HtmlBuilder;

namespace MultiLabel.Views;

/// <summary><see cref="LearnerSummary"/> as a table of layers (name, type, output shape, parameters, trainable) under the
/// input shape, then the totals, optimizer, loss, frozen state and callbacks.</summary>
static class LearnerSummaryHtml
{
    public static string Render(LearnerSummary s)
    {
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var layers = Table(["layer", "type", "output shape", "param #", "trainable"],
            s.Layers.Select(l => new[]
            {
                l.Name, l.Type, l.OutputShape is { } shape ? LearnerSummary.Shape(shape) : "–",
                l.Parameters > 0 ? N(l.Parameters) : "", l.Parameters > 0 ? (l.Trainable ? "yes" : "no") : "",
            }), "ml-summary-layers");
        var totals = Table(["", ""], new[]
        {
            new[] { "total params", N(s.TotalParameters) },
            new[] { "trainable params", N(s.TrainableParameters) },
            new[] { "non-trainable params", N(s.NonTrainableParameters) },
            new[] { "optimizer", s.Optimizer },
            new[] { "loss", s.Loss },
            new[] { "frozen", s.FrozenUpToGroup is { } n ? $"up to parameter group #{n}" : "no" },
            new[] { "callbacks", string.Join(", ", s.Callbacks) },
        }, "ml-summary-totals");
        return El("div", [("class", "ml-summary")], El("b", $"{s.Model} (input shape: {LearnerSummary.Shape(s.InputShape)})"),
            El("div", [("style", "max-height:420px;overflow:auto")], layers), totals).Markup;
    }
}
