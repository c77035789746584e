using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Runs the README's main command on the two chapter notebooks once (Jupyter's client with the .NET kernel, CPU)
/// into a temporary folder, as a reader with a network runs them: their <c>UntarData(Urls.Pascal2007)</c> and
/// <c>UntarData(Urls.BiwiHeadPose)</c> download fastai's archives, here from a real HTTP server on 127.0.0.1 serving
/// archives in the published layouts made from the bundled data (so the chapter's figures are those of the bundled data),
/// into a fresh FASTAI_HOME. The tests read what it wrote.</summary>
public sealed partial class ChapterRun : IDisposable
{
    public string Root { get; }
    public string Output { get; } = Directory.CreateTempSubdirectory("multilabel-chapter-").FullName;
    public int ExitCode { get; }
    public string Log { get; }

    public string FastaiHome { get; }
    public int ArchiveRequests { get; }

    public ChapterRun()
    {
        Root = MultiLabel.Testing.RepositoryRoot.Path;
        using var archives = new MultiLabel.Testing.ChapterArchiveServer(Output);
        FastaiHome = archives.FastaiHome;
        var run = MultiLabel.Testing.ChildProcess.Run("bash",
            [System.IO.Path.Combine(Root, "scripts", "run-notebooks.sh"), Output, System.IO.Path.Combine(Root, "notebooks", "06a-multilabel.ipynb"), System.IO.Path.Combine(Root, "notebooks", "06b-regression.ipynb")],
            Root, archives.Environment.ToDictionary(), TimeSpan.FromMinutes(25)); // about 6 min alone; twice that while the other test projects run beside it on 2 cores
        (ExitCode, Log) = (run.ExitCode, run.Output);
        ArchiveRequests = archives.Requests;
    }

    public string File(string name) => System.IO.Path.Combine(Output, name);

    /// <summary>Every output of a notebook: its type, HTML (if any) and text (if any).</summary>
    public IReadOnlyList<(string Type, string Html, string Text)> Outputs(string notebook) =>
        Cells(notebook).SelectMany(c => c.Outputs).ToList();

    /// <summary>The code cells of an executed notebook: source and outputs, in order.</summary>
    public IReadOnlyList<(string Source, IReadOnlyList<(string Type, string Html, string Text)> Outputs)> Cells(string notebook)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(File(notebook + ".ipynb")));
        var cells = new List<(string, IReadOnlyList<(string, string, string)>)>();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (!cell.TryGetProperty("outputs", out var outputs)) continue;
            var list = new List<(string, string, string)>();
            foreach (var o in outputs.EnumerateArray())
            {
                string html = "", text = "";
                if (o.TryGetProperty("data", out var data))
                {
                    if (data.TryGetProperty("text/html", out var h)) html = Join(h);
                    if (data.TryGetProperty("text/plain", out var p)) text = Join(p);
                }
                if (o.TryGetProperty("text", out var t)) text = Join(t);
                if (o.TryGetProperty("evalue", out var e)) text = e.GetString() ?? "";
                list.Add((o.GetProperty("output_type").GetString()!, html, text));
            }
            cells.Add((Join(cell.GetProperty("source")), list));
        }
        return cells;
    }

    /// <summary>The numbers of a "RESULT name k=v …" line printed by a notebook.</summary>
    public IReadOnlyDictionary<string, double> Result(string notebook, string name)
    {
        var line = Outputs(notebook).Select(o => o.Text).SelectMany(t => t.Split('\n')).First(l => l.StartsWith($"RESULT {name} ", StringComparison.Ordinal));
        return Pair().Matches(line).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    static string Join(JsonElement e) => e.ValueKind == JsonValueKind.Array ? string.Concat(e.EnumerateArray().Select(x => x.GetString())) : e.GetString() ?? "";

    [GeneratedRegex(@"([A-Za-z_@.0-9]+)=([-0-9.eE]+)")]
    private static partial Regex Pair();

    public void Dispose()
    {
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ChapterCollection : ICollectionFixture<ChapterRun>
{
    public const string Name = "chapter";
}
