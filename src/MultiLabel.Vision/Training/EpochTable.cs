using System.Globalization;

namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's epoch table as text cells: epoch, phase (when fine_tune named one: its fits are each numbered from 0, as
/// fastai prints them), train_loss, valid_loss, each metric, time; numbers as fastai prints them (six decimals, time
/// mm:ss). The recorder's text table, the notebook's HTML table and the console's rows are all made from this.
/// </summary>
public sealed class EpochTable
{
    EpochTable(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) => (Columns, Rows) = (columns, rows);

    /// <summary>The header.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>One row per epoch, as many cells as <see cref="Columns"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>The table of <paramref name="epochs"/> with the metrics named <paramref name="metricNames"/>.</summary>
    public static EpochTable Of(IEnumerable<EpochRecord> epochs, IReadOnlyList<string> metricNames)
    {
        var list = epochs.ToList();
        bool phases = list.Any(e => e.Phase is not null);
        List<string> columns = ["epoch", .. phases ? ["phase"] : Array.Empty<string>(), "train_loss", "valid_loss", .. metricNames, "time"];
        var rows = list.Select(e => (IReadOnlyList<string>)
        [
            e.Epoch.ToString(CultureInfo.InvariantCulture), .. phases ? [e.Phase ?? ""] : Array.Empty<string>(),
            F(e.TrainLoss), F(e.ValidLoss), .. metricNames.Select(n => F(e.Metrics[n])), e.Time.ToString(@"mm\:ss"),
        ]).ToList();
        return new EpochTable(columns, rows);
    }

    /// <summary>The header line.</summary>
    public string HeaderLine() => string.Join("  ", Columns);

    /// <summary>Row <paramref name="index"/> as one line.</summary>
    public string Line(int index) => string.Join("  ", Rows[index]);

    /// <summary>The table as fastai prints it: the header and one line per epoch.</summary>
    public override string ToString() => string.Join("\n", Enumerable.Range(0, Rows.Count).Select(Line).Prepend(HeaderLine()));

    static string F(double v) => v.ToString("0.000000", CultureInfo.InvariantCulture);
}
