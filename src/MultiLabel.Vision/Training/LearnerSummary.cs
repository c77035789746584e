using System.Globalization;
using System.Text;

namespace MultiLabel.Vision.Training;

/// <summary>One layer of <see cref="LearnerSummary"/>: a module without children, in the order the forward pass called it.</summary>
/// <param name="Name">Its path in the model, e.g. <c>body.4.0.conv1</c>.</param>
/// <param name="Type">Its class, e.g. <c>Conv2d</c>.</param>
/// <param name="OutputShape">The shape of its output for the summary's batch; null when the forward pass did not call it.</param>
/// <param name="Parameters">Numbers in its own parameters.</param>
/// <param name="Trainable">Whether those parameters train (false too for a layer without parameters).</param>
public sealed record LayerSummary(string Name, string Type, IReadOnlyList<long>? OutputShape, long Parameters, bool Trainable);

/// <summary>What fastai's <c>learn.summary()</c> prints: every layer with its output shape, parameter count and whether it
/// trains, the totals, the optimizer, the loss, how far the model is frozen and the callbacks.</summary>
/// <param name="Model">The model's description (architecture and outputs, or its class).</param>
/// <param name="InputShape">The shape of the batch the layers were measured with.</param>
/// <param name="Layers">The layers, in call order.</param>
/// <param name="TotalParameters">Numbers in all the model's parameters.</param>
/// <param name="TrainableParameters">Numbers in the parameters that train.</param>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="Loss">The loss's name.</param>
/// <param name="FrozenUpToGroup">With a frozen model, the first parameter group that trains whole (fastai's "frozen up to
/// parameter group #n"); null when every group trains.</param>
/// <param name="Callbacks">The learner's callbacks, by class name.</param>
public sealed record LearnerSummary(string Model, IReadOnlyList<long> InputShape, IReadOnlyList<LayerSummary> Layers,
    long TotalParameters, long TrainableParameters, string Optimizer, string Loss, int? FrozenUpToGroup, IReadOnlyList<string> Callbacks)
{
    /// <summary>Numbers in the parameters that do not train.</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>fastai's layout: a layer's output shape is printed on a line of its own when it changes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var rule = new string('=', 76);
        text.AppendLine($"{Model} (Input shape: {Shape(InputShape)})").AppendLine(rule)
            .AppendLine($"{"Layer (type)",-21}{"Output Shape",-21}{"Param #",-11}Trainable").AppendLine(rule);
        IReadOnlyList<long>? previous = null;
        foreach (var layer in Layers)
        {
            if (layer.OutputShape is { } shape && (previous is null || !shape.SequenceEqual(previous)))
            {
                text.AppendLine($"{"",-21}{Shape(shape)}");
                previous = shape;
            }
            text.AppendLine($"{layer.Type,-42}{(layer.Parameters > 0 ? Count(layer.Parameters) : ""),-11}{(layer.Parameters > 0 ? layer.Trainable.ToString() : "")}".TrimEnd());
        }
        text.AppendLine(new string('_', 76)).AppendLine()
            .AppendLine($"Total params: {Count(TotalParameters)}")
            .AppendLine($"Total trainable params: {Count(TrainableParameters)}")
            .AppendLine($"Total non-trainable params: {Count(NonTrainableParameters)}").AppendLine()
            .AppendLine($"Optimizer used: {Optimizer}")
            .AppendLine($"Loss function: {Loss}").AppendLine()
            .AppendLine(FrozenUpToGroup is { } n ? $"Model frozen up to parameter group #{n}" : "Model unfrozen").AppendLine()
            .AppendLine("Callbacks:");
        foreach (var callback in Callbacks) text.AppendLine($"  - {callback}");
        return text.ToString();
    }

    /// <summary>A shape as fastai prints it: <c>64 x 3 x 224 x 224</c>.</summary>
    public static string Shape(IReadOnlyList<long> shape) => string.Join(" x ", shape);

    static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
