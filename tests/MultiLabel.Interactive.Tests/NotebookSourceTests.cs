using System.Text.Json;
using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>The notebooks in notebooks/ are the source a reader opens: committed without outputs, with metadata that
/// VS Code (Polyglot) and Jupyter (kernel .net-csharp) both read, and a first cell that is what a user writes.</summary>
public sealed class NotebookSourceTests
{
    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "notebooks"), "*.ipynb").Order().Select(f => new object[] { Path.GetFileName(f) });

    static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "notebooks", name))).RootElement;

    static string Source(JsonElement cell) =>
        cell.GetProperty("source") is { ValueKind: JsonValueKind.Array } lines ? string.Concat(lines.EnumerateArray().Select(l => l.GetString())) : cell.GetProperty("source").GetString()!;

    [Fact]
    public void The_chapter_and_the_smoke_notebook_are_there()
    {
        Assert.Equal(["00-smoke.ipynb", "06a-multilabel.ipynb", "06b-regression.ipynb"], Notebooks().Select(n => (string)n[0]));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_committed_notebook_has_no_outputs_and_no_execution_counts(string name)
    {
        var code = Load(name).GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        Assert.NotEmpty(code);
        foreach (var (cell, i) in code.Select((c, i) => (c, i)))
        {
            Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{name}: code cell {i} has saved outputs");
            Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{name}: code cell {i} has an execution count");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_metadata_opens_the_notebook_in_Jupyter_and_in_Polyglot_as_CSharp(string name)
    {
        var nb = Load(name);
        Assert.Equal(4, nb.GetProperty("nbformat").GetInt32());
        var meta = nb.GetProperty("metadata");
        Assert.Equal(".net-csharp", meta.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("C#", meta.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("csharp", meta.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach (var cell in nb.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
            Assert.Equal("csharp", cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_cell_has_a_unique_id_as_nbformat_4_5_asks(string name)
    {
        var nb = Load(name);
        Assert.True(nb.GetProperty("nbformat_minor").GetInt32() >= 5, name);
        var ids = nb.GetProperty("cells").EnumerateArray().Select(c => c.TryGetProperty("id", out var id) ? id.GetString() : null).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Jupyters_own_validator_accepts_the_notebook(string name)
    {
        var path = Path.Combine(RepositoryRoot.Path, "notebooks", name);
        var result = ChildProcess.Run("/usr/bin/python3", ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", path],
            RepositoryRoot.Path, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0 && result.Output.Contains("valid"), $"{name}: {result.Output}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_first_code_cell_is_what_a_user_writes(string name)
    {
        var first = Load(name).GetProperty("cells").EnumerateArray().First(c => c.GetProperty("cell_type").GetString() == "code");
        var lines = Source(first).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"", "#r \"nuget: MultiLabel.Interactive, *-*\""], lines);
    }
}
