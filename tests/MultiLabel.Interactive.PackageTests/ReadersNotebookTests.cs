using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>A reader's own notebook, in a folder outside the repository: its first cell is exactly the README's <c>#r</c>
/// lines, the next are the chapter's first steps (06a up to <c>show_batch</c>: fastai's archive from a server on
/// 127.0.0.1, the CSV, the DataBlock, a batch). Jupyter's client runs it with the installed <c>.net-csharp</c> kernel
/// against the packed packages; then the classic Notebook shows it, untrusted, in chromium.</summary>
[Collection(PackageCollection.Name)]
public sealed partial class ReadersNotebookTests(LocalPackageFeed feed)
{
    [Fact]
    public async Task The_readmes_first_cell_runs_the_chapters_first_steps_outside_the_repository_and_shows_in_jupyter()
    {
        using var folder = new TempFolder();
        Assert.False(folder.Path.StartsWith(feed.Root, StringComparison.Ordinal));
        var readmeLines = ReadmeReferences(File.ReadAllText(Path.Combine(feed.Root, "README.md")));
        var chapter = JsonNode.Parse(File.ReadAllText(Path.Combine(feed.Root, "notebooks", "06a-multilabel.ipynb")))!.AsObject();
        var code = chapter["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        int showBatch = code.FindIndex(c => Source(c!).StartsWith("#!show_batch", StringComparison.Ordinal));
        var mine = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = chapter["metadata"]!.DeepClone(),
            ["cells"] = new JsonArray(code.Take(showBatch + 1).Select((c, i) => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code",
                ["id"] = $"cell-{i}",
                ["metadata"] = new JsonObject(),
                ["execution_count"] = null,
                ["outputs"] = new JsonArray(),
                ["source"] = i == 0 ? string.Join("\n", readmeLines) : Source(c!),
            }).ToArray()),
        };
        Assert.Equal(Source(code[0]!), string.Join("\n", readmeLines)); // the chapter's first cell is the README's
        File.WriteAllText(folder.File("my-notebook.ipynb"), mine.ToJsonString());

        using var archives = new MultiLabel.Testing.ChapterArchiveServer(Directory.CreateDirectory(folder.File("server")).FullName, pascalRows: 120);
        var run = MultiLabel.Testing.ChildProcess.Run("jupyter",
            ["nbconvert", "--to", "notebook", "--execute", "my-notebook.ipynb", "--output", "executed.ipynb",
             "--ExecutePreprocessor.kernel_name=.net-csharp", "--ExecutePreprocessor.timeout=900"],
            folder.Path, archives.Environment.ToDictionary(), TimeSpan.FromMinutes(20));
        Assert.True(run.ExitCode == 0, run.Output);

        var outputs = JsonNode.Parse(File.ReadAllText(folder.File("executed.ipynb")))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        Assert.Contains(outputs, o => Text(o!["data"]?["text/html"]).Contains("MultiLabel.Interactive loaded", StringComparison.Ordinal));
        Assert.True(archives.Requests > 0, "the notebook did not fetch fastai's archive");

        using var server = new ClassicNotebookServer(folder.Path);
        await using var session = await server.StartBrowserAsync();
        var tab = await server.OpenAsync(session, "executed.ipynb");
        int tiles = await tab.EvaluateAsync<int>("() => [...document.querySelectorAll('div.ml-batch img.ml-tile')].filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length");
        int tables = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.output_html table').length");
        await OfflineBrowser.Session.KeepScreenshotAsync(tab, "classic-readers-notebook-untrusted.png");

        Assert.Equal(9, tiles);            // #!show_batch --max-items 9
        Assert.True(tables >= 2, $"{tables} tables"); // df.Head(5), the loaders
        Assert.Empty(session.Refused);
    }

    /// <summary>The <c>#r</c> lines of the README's "Using it in a notebook" block.</summary>
    static IReadOnlyList<string> ReadmeReferences(string readme)
    {
        var section = readme[readme.IndexOf("## Using it in a notebook", StringComparison.Ordinal)..];
        var block = CodeBlock().Match(section).Groups[1].Value;
        var lines = block.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("#r ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        return lines;
    }

    static string Source(JsonNode cell) => Text(cell["source"]);

    static string Text(JsonNode? node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
