using System.CommandLine;

namespace MultiLabel.Cli;

/// <summary>
/// A command's options as System.CommandLine parsed them, with typed reads whose defaults the command computes (some
/// depend on the device found at run time) and range errors that name the option.
/// </summary>
sealed class Options(ParseResult parsed)
{
    /// <summary>An integer option for <see cref="CommandLine"/> to declare; the command reads it with <see cref="Int"/>.</summary>
    public static Option<int?> IntOption(string name, string description) => new($"--{name}") { Description = description };

    /// <summary>A text option for <see cref="CommandLine"/> to declare; the command reads it with <see cref="Text"/>.</summary>
    public static Option<string?> TextOption(string name, string description) => new($"--{name}") { Description = description };

    public string Text(string name, string fallback) => parsed.GetValue<string?>($"--{name}") ?? fallback;

    /// <summary>A positive decimal number read from a text option (invariant culture: "0.5").</summary>
    public double Positive(string name, double fallback)
    {
        if (parsed.GetValue<string?>($"--{name}") is not { } text) return fallback;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"option '--{name}' must be a number > 0, got '{text}'");
    }

    public int Int(string name, int fallback, int min = 1)
    {
        if (parsed.GetValue<int?>($"--{name}") is not { } value) return fallback;
        return value >= min ? value : throw new ArgumentException($"option '--{name}' must be an integer ≥ {min}, got '{value}'");
    }
}
