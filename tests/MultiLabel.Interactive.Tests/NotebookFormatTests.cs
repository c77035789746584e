using System.Text.Json;
using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>The committed notebooks are Polyglot (.NET Interactive, C#) notebooks VS Code opens with the right kernel,
/// without stored outputs, and match their generator sources.</summary>
public sealed class NotebookFormatTests
{
    public static TheoryData<string> Notebooks => new() { "00-smoke", "06a-multilabel", "06b-regression" };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebooks_carry_polyglot_csharp_metadata_and_no_outputs(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChapterSetup.Root, "notebooks", name + ".ipynb")));
        var root = doc.RootElement;
        var metadata = root.GetProperty("metadata");

        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("C#", metadata.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
        foreach (var cell in root.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
        {
            Assert.Equal("csharp", cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
            Assert.Equal(0, cell.GetProperty("outputs").GetArrayLength());
        }
        Assert.True(File.Exists(Path.Combine(ChapterSetup.Root, "notebooks", "src", name + ".py")), "each notebook has its generator source");
    }
}
