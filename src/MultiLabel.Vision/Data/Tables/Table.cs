using System.Text;
using Microsoft.Data.Analysis;
using nietras.SeparatedValues;

namespace MultiLabel.Vision.Data.Tables;

/// <summary>
/// A small table of strings read from CSV or taken from a Microsoft.Data.Analysis <see cref="DataFrame"/>:
/// the items a DataBlock is built from. Errors name the source and row.
/// </summary>
public sealed class Table
{
    readonly Dictionary<string, int> index;

    /// <summary>Where the table came from (the CSV path), used in error messages.</summary>
    public string Source { get; }
    /// <summary>The header's column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>The data rows, in file order.</summary>
    public IReadOnlyList<TableRow> Rows { get; }

    Table(string source, IReadOnlyList<string> columns, IEnumerable<string[]> rows)
    {
        Source = source;
        Columns = columns;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
            if (!index.TryAdd(columns[i], i)) throw new InvalidDataException($"{source}: the column '{columns[i]}' appears twice in the header.");
        Rows = rows.Select((values, i) => new TableRow(this, i + 1, values)).ToList();
    }

    /// <summary>The position of <paramref name="column"/>; an error listing the columns when there is none.</summary>
    public int ColumnIndex(string column) =>
        index.TryGetValue(column, out var i) ? i
            : throw new KeyNotFoundException($"{Source} has no column '{column}' (columns: {string.Join(", ", Columns)}).");

    /// <summary>Whether the header has <paramref name="column"/>.</summary>
    public bool HasColumn(string column) => index.ContainsKey(column);

    /// <summary>Fails naming the source and the missing columns unless all are present.</summary>
    public void RequireColumns(params string[] columns)
    {
        var missing = columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{Source} lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has: {string.Join(", ", Columns)}).");
    }

    /// <summary>Reads a CSV file with a header row (fastai's <c>pd.read_csv</c> for the chapter). A malformed row is an
    /// error naming the file and row.</summary>
    public static Table ReadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The CSV file '{path}' does not exist.", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return ParseCsv(reader, Path.GetFileName(path));
    }

    /// <summary>RFC 4180 CSV (Sep): comma separated, fields in double quotes may hold commas, doubled quotes and line
    /// breaks. The first record is the header; blank lines are skipped; a row with another number of fields, or a
    /// quoted field that is never closed, is an error naming the source and the row.</summary>
    public static Table ParseCsv(TextReader reader, string source)
    {
        using var csv = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(reader);
        string[]? header = null;
        var rows = new List<string[]>();
        foreach (var record in csv)
        {
            var fields = record[0..record.ColCount].ToStringsArray();
            if (header is null)
            {
                header = fields.Select(h => h.Trim()).ToArray();
                continue;
            }
            if (fields is [""]) continue; // blank line
            CheckQuotes(record.Span, source, rows.Count + 1);
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{source} row {rows.Count + 1} has {fields.Length} fields, the header has {header.Length}.");
            rows.Add(fields);
        }
        if (header is null) throw new InvalidDataException($"{source} is empty: a header row is needed.");
        return new Table(source, header, rows);
    }

    // Sep reads an unclosed quote to the end of the input as one field; that is a broken file, not a value.
    static void CheckQuotes(ReadOnlySpan<char> raw, string source, int row)
    {
        if (raw.Count('"') % 2 != 0)
            throw new InvalidDataException($"{source} row {row}: a quoted field is never closed.");
    }

    /// <summary>A table of <paramref name="frame"/>'s values as strings; <paramref name="source"/> names it in errors.</summary>
    public static Table FromDataFrame(DataFrame frame, string source = "DataFrame")
    {
        var columns = frame.Columns.Select(c => c.Name).ToList();
        var rows = new List<string[]>();
        for (long r = 0; r < frame.Rows.Count; r++)
            rows.Add(frame.Columns.Select(c => Format(c[r])).ToArray());
        return new Table(source, columns, rows);
    }

    /// <summary>The table as a DataFrame of string columns.</summary>
    public DataFrame ToDataFrame() =>
        new(Columns.Select((name, i) => (DataFrameColumn)new StringDataFrameColumn(name, Rows.Select(r => r.Values[i]))));

    static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
