namespace MultiLabel.Vision.Data.Tables;

/// <summary>One row of a <see cref="Table"/>: values by column name, with the row's number for messages.</summary>
public sealed class TableRow : ILocated
{
    readonly Table table;
    readonly string[] values;

    internal TableRow(Table table, int number, string[] values)
    {
        this.table = table;
        Number = number;
        this.values = values;
    }

    /// <summary>1-based data row number (the header is row 0), as a spreadsheet would show it minus one.</summary>
    public int Number { get; }

    /// <summary>Where the row came from, e.g. "train.csv row 12".</summary>
    public string Location => $"{table.Source} row {Number}";

    /// <summary>The row's value in <paramref name="column"/> (fastai's <c>r['fname']</c>).</summary>
    public string this[string column] => values[table.ColumnIndex(column)];

    /// <summary>The row's values in column order.</summary>
    public IReadOnlyList<string> Values => values;

    /// <inheritdoc/>
    public override string ToString() => $"{Location}: {string.Join(", ", table.Columns.Select((c, i) => $"{c}={values[i]}"))}";
}
