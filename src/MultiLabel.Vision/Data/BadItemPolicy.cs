namespace MultiLabel.Vision.Data;

/// <summary>What a loader does with an item it cannot use.</summary>
public enum OnBadItem
{
    /// <summary>Stop with an exception that names the file or row (the default).</summary>
    Throw,
    /// <summary>Leave the item out and list it in <see cref="LoadReport{T}.Skipped"/>; nothing is dropped silently.</summary>
    SkipAndReport,
}

/// <summary>An item left out under <see cref="OnBadItem.SkipAndReport"/>: where it was and why.</summary>
public sealed record SkippedItem(string Location, string Reason);

/// <summary>The items a loader produced, and the ones it skipped with their reasons.</summary>
public sealed record LoadReport<T>(IReadOnlyList<T> Items, IReadOnlyList<SkippedItem> Skipped)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Items.Count} items, {Skipped.Count} skipped" +
        (Skipped.Count == 0 ? "" : ":" + string.Concat(Skipped.Take(10).Select(s => $"\n  {s.Location}: {s.Reason}")) + (Skipped.Count > 10 ? $"\n  … {Skipped.Count - 10} more" : ""));
}

/// <summary>Collects items; a bad one either throws (naming it) or is recorded as skipped.</summary>
sealed class ItemCollector<T>(OnBadItem policy)
{
    readonly List<T> items = [];
    readonly List<SkippedItem> skipped = [];

    public void Add(T item) => items.Add(item);

    /// <summary>Runs <paramref name="make"/>; an <see cref="InvalidDataException"/>, <see cref="IOException"/> or
    /// <see cref="FormatException"/> it throws is rethrown with the location, or recorded as skipped.</summary>
    public void Try(string location, Func<T> make)
    {
        try
        {
            items.Add(make());
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            Bad(location, e.Message, e);
        }
    }

    public void Bad(string location, string reason, Exception? inner = null)
    {
        if (policy == OnBadItem.Throw)
            throw new InvalidDataException(reason.StartsWith(location, StringComparison.Ordinal) ? reason : $"{location}: {reason}", inner);
        skipped.Add(new SkippedItem(location, reason));
    }

    public LoadReport<T> Report() => new(items, skipped);
}
