namespace MultiLabel.Views;

/// <summary>Raw HTML to display (its formatter writes it unencoded). Used instead of AspNetCore's HtmlString, whose
/// assembly version in the package feed is newer than the one the kernels ship.</summary>
public sealed record HtmlFragment(string Html)
{
    /// <inheritdoc/>
    public override string ToString() => Html;
}
