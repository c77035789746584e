using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Data;

/// <summary>An image and its encoded target, as <see cref="Datasets{TItem}.Encode"/> returns them; deconstructs as
/// <c>var (image, target) = dsets.Encode(dsets.Train[0]);</c>.</summary>
public sealed record EncodedItem(RgbImage Image, Tensor Target, TargetBlock Block)
{
    /// <summary><c>var (x, y) = item;</c> as fastai's <c>x, y = dsets.train[0]</c>.</summary>
    public void Deconstruct(out RgbImage image, out Tensor target) => (image, target) = (Image, Target);

    /// <inheritdoc/>
    public override string ToString() =>
        $"({Image}, tensor([{string.Join(", ", Target.data<float>().ToArray().Select(v => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)))}]))";
}
