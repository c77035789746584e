using System.Text;
using Microsoft.Data.Analysis;

namespace MultiLabel.Vision.Data.Tables;

/// <summary>
/// A small table of strings read from CSV or taken from a Microsoft.Data.Analysis <see cref="DataFrame"/>:
/// the items a DataBlock is built from. Errors name the source and row.
/// </summary>
public sealed class Table
{
    readonly Dictionary<string, int> index;

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }
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

    public int ColumnIndex(string column) =>
        index.TryGetValue(column, out var i) ? i
            : throw new KeyNotFoundException($"{Source} has no column '{column}' (columns: {string.Join(", ", Columns)}).");

    public bool HasColumn(string column) => index.ContainsKey(column);

    /// <summary>Fails naming the source and the missing columns unless all are present.</summary>
    public void RequireColumns(params string[] columns)
    {
        var missing = columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{Source} lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has: {string.Join(", ", Columns)}).");
    }

    public static Table ReadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The CSV file '{path}' does not exist.", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return ParseCsv(reader, Path.GetFileName(path));
    }

    public static Table ParseCsv(TextReader reader, string source)
    {
        var records = CsvReader.Read(reader, source).ToList();
        if (records.Count == 0) throw new InvalidDataException($"{source} is empty: a header row is needed.");
        var header = records[0].Select(h => h.Trim()).ToArray();
        var rows = new List<string[]>();
        for (int r = 1; r < records.Count; r++)
        {
            var record = records[r];
            if (record.Length == 1 && record[0].Length == 0) continue; // blank line
            if (record.Length != header.Length)
                throw new InvalidDataException($"{source} row {rows.Count + 1} has {record.Length} fields, the header has {header.Length}.");
            rows.Add(record);
        }
        return new Table(source, header, rows);
    }

    public static Table FromDataFrame(DataFrame frame, string source = "DataFrame")
    {
        var columns = frame.Columns.Select(c => c.Name).ToList();
        var rows = new List<string[]>();
        for (long r = 0; r < frame.Rows.Count; r++)
            rows.Add(frame.Columns.Select(c => Format(c[r])).ToArray());
        return new Table(source, columns, rows);
    }

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
