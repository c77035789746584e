namespace MultiLabel.Vision.Models;

/// <summary>A registered body architecture: its torchvision constructor, output features, and how it is pretrained.</summary>
public sealed record Arch(string Name, int Features, string PretrainedSource)
{
    public override string ToString() => Name;
}
