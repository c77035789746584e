namespace MultiLabel.Cli;

/// <summary>`--name value` options, with typed reads that name the option on bad input.</summary>
sealed class Options
{
    readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public static Options Parse(IEnumerable<string> args)
    {
        var options = new Options();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{name}'");
            if (!e.MoveNext()) throw new ArgumentException($"option '{name}' needs a value");
            options.values[name[2..]] = e.Current;
        }
        return options;
    }

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback, int min = 1)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, out var value) || value < min)
            throw new ArgumentException($"option '--{name}' must be an integer ≥ {min}, got '{text}'");
        return value;
    }
}
