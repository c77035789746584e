using Markdig;
using Markdig.Syntax;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>
/// Every C# example in README.md, then in the guides of docs/, runs as written, in order, in one kernel that restores
/// the packed package as a reader's notebook does, on the bundled data (a guide may use what the README made). Training examples get tiny settings through the substitutions below, each of
/// which must still find its text (so the README cannot drift away from this test). A block is skipped only when an
/// HTML comment <c>&lt;!-- fragment: why --&gt;</c> right before it says so.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ReadmeExamplesTests(LocalPackageFeed feed) : IDisposable
{
    readonly CompositeKernel kernel = PackageKernel.Create();
    readonly TempFolder workspace = new();
    readonly Dictionary<string, string?> previousEnvironment = new();

    // Text in the README → what runs here: small images and few epochs, data by absolute path.
    static readonly (string Readme, string Here)[] TinySettings =
    [
        ("var path = \"datasets/scenes-quick\";", $"var path = @\"{Path.Combine(MultiLabel.Testing.RepositoryRoot.Path, "datasets", "scenes-quick")}\";"),
        ("new RandomResizedCrop(128, minScale: 0.35)", "new RandomResizedCrop(32, minScale: 0.35)"),
        ("learn.LrFind();", "learn.LrFind(numIt: 20);"),
        ("learn.FineTune(3, baseLr: 3e-3, freezeEpochs: 4);", "learn.FineTune(1, baseLr: 3e-3, freezeEpochs: 1);"),
        ("learn.FineTune(3);", "learn.FineTune(1, freezeEpochs: 1);"),
    ];

    // The guides, in the order of docs/toc.yml (those without C# examples left out).
    static readonly string[] Documents = ["README.md", "docs/getting-started.md", "docs/datablock.md", "docs/learner.md", "docs/pytorch.md"];

    public static IReadOnlyList<(int Line, string Code, string? Fragment)> CSharpBlocks(string markdown)
    {
        var document = Markdown.Parse(markdown);
        var blocks = new List<(int, string, string?)>();
        Block? previous = null;
        foreach (var block in document.Descendants<Block>().Where(b => b.Parent == document))
        {
            if (block is FencedCodeBlock { Info: "csharp" } code)
            {
                var marker = previous is HtmlBlock html && html.Lines.ToString().Trim() is var text && text.StartsWith("<!-- fragment:", StringComparison.Ordinal)
                    ? text["<!-- fragment:".Length..^"-->".Length].Trim() : null;
                blocks.Add((code.Line + 1, code.Lines.ToString(), marker));
            }
            previous = block;
        }
        return blocks;
    }

    [Fact]
    public async Task Every_csharp_example_in_the_readme_and_the_guides_runs_in_order_in_a_kernel_on_the_bundled_data()
    {
        var documents = Documents.Select(d => (Name: d, Text: File.ReadAllText(Path.Combine(MultiLabel.Testing.RepositoryRoot.Path, d)))).ToList();
        foreach (var (text, _) in TinySettings) Assert.Contains(documents, d => d.Text.Contains(text, StringComparison.Ordinal));
        var blocks = documents.SelectMany(d => CSharpBlocks(d.Text).Select(b => (Where: $"{d.Name} line {b.Line}", b.Code, b.Fragment))).ToList();
        Assert.True(blocks.Count(b => b.Fragment is not null) <= 2, "only a few examples may be fragments");
        Assert.Contains(blocks, b => b.Code.Contains("#r \"nuget: MultiLabel.Interactive", StringComparison.Ordinal));

        // The book's data (UntarData(Urls.Pascal2007) and Urls.BiwiHeadPose): a reader downloads fastai's archives; here a
        // real server on 127.0.0.1 serves archives in the published layouts, with their checks, into a fresh FASTAI_HOME.
        using var archives = new MultiLabel.Testing.ChapterArchiveServer(workspace.Path, pascalRows: 200, biwiFramesPerPerson: 2);
        foreach (var (name, value) in archives.Environment)
        {
            previousEnvironment.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }

        // The reader's notebook finds the package on nuget.org; here, in the folder the test run packed it into. The
        // examples write their files (exports) into a folder of their own.
        PackageKernel.Succeeded(await kernel.Submit($"#i \"nuget:{feed.Folder}\""));
        PackageKernel.Succeeded(await kernel.Submit($"System.IO.Directory.SetCurrentDirectory(@\"{workspace.Path}\");"));
        int ran = 0;
        foreach (var (where, code, fragment) in blocks)
        {
            if (fragment is not null) continue;
            var here = TinySettings.Aggregate(code, (c, s) => c.Replace(s.Readme, s.Here, StringComparison.Ordinal));
            PackageKernel.Succeeded(await kernel.Submit(here), where);
            ran++;
        }

        Assert.True(ran >= 9, $"{ran} examples ran");
        Assert.True(File.Exists(workspace.File("model.mlx")) && File.Exists(workspace.File("model.pth")) && File.Exists(workspace.File("model.json")),
            "the export examples wrote their files");
        Assert.True(File.Exists(workspace.File("report.html")), "the getting-started example wrote its report");
        Assert.Equal(2, archives.Requests); // each archive downloaded once, the second UntarData(Urls.Pascal2007) from the cache
        Assert.True(File.Exists(Path.Combine(archives.FastaiHome, "data", "pascal_2007", "train.csv")));
        Assert.True(Directory.Exists(Path.Combine(archives.FastaiHome, "data", "biwi_head_pose", "24")));
    }

    public void Dispose()
    {
        foreach (var (name, value) in previousEnvironment) Environment.SetEnvironmentVariable(name, value);
        kernel.Dispose();
        Formatter.ResetToDefault();
        Directory.SetCurrentDirectory(MultiLabel.Testing.RepositoryRoot.Path);
        workspace.Dispose();
    }
}
