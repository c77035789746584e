namespace MultiLabel.Vision.Data;

/// <summary>An item that knows where it came from ("train.csv row 12", a file path), for error messages.</summary>
public interface ILocated
{
    /// <summary>Where the item came from, e.g. "train.csv row 12".</summary>
    string Location { get; }
}
