namespace MultiLabel.Vision.Models;

/// <summary>A registered body architecture: its torchvision name and the features its body puts out (what the head
/// takes). How it is pretrained is <see cref="ResNets.ImageNetBody"/>'s business.</summary>
public sealed record Arch(string Name, int Features)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
