using System.Text.Json;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Formats;
using Xunit;

namespace MultiLabel.Vision.Tests.Interop;

/// <summary>
/// <c>pytorch/multilabel_data.py</c> reads the bundled formats for training in PyTorch; it must give the same items,
/// targets and validation split as the C# loaders, or a model trained on there would learn other labels or points.
/// </summary>
[Trait("Tier", "Slow")] // starts Python with torch
public sealed class PyTorchDataReaderTests
{
    const string Python = "/usr/bin/python3";
    static readonly string Datasets = Path.Combine(RepositoryRoot.Path, "datasets");

    // Prints one JSON line per item: path, flattened target, is_valid.
    const string Reader = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        from multilabel_data import load_items
        config = json.loads(sys.argv[3])
        for path, target, valid in load_items(sys.argv[2], config):
            print(json.dumps([path, target.reshape(-1).tolist(), bool(valid)]))
        """;

    static List<(string Path, float[] Target, bool Valid)> ReadInPython(string folder, object config)
    {
        var output = ChildProcess.Check(Python, ["-c", Reader, Path.Combine(RepositoryRoot.Path, "pytorch"), folder, JsonSerializer.Serialize(config)],
            timeout: TimeSpan.FromMinutes(2));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var row = JsonDocument.Parse(line).RootElement;
            return (Path.GetFullPath(row[0].GetString()!), row[1].EnumerateArray().Select(v => v.GetSingle()).ToArray(), row[2].GetBoolean());
        }).ToList();
    }

    [Fact]
    public void The_PASCAL_reader_gives_the_CSharp_items_one_hot_targets_and_split()
    {
        var folder = Path.Combine(Datasets, "scenes-quick");
        var items = PascalCsv.Load(folder).Items;
        var vocab = new Vocab(items.SelectMany(i => i.Labels));

        var python = ReadInPython(folder, new { kind = "MultiLabel", vocab = vocab.ToArray() });

        Assert.Equal(items.Count, python.Count);
        foreach (var (item, (path, target, valid)) in items.Zip(python))
        {
            Assert.Equal(Path.GetFullPath(item.ImagePath), path);
            Assert.Equal(vocab.Select(label => item.Labels.Contains(label) ? 1f : 0f), target);
            Assert.Equal(item.IsValid, valid);
        }
        Assert.Contains(python, p => p.Valid);
        Assert.Contains(python, p => p.Target.Sum() >= 2); // several labels on one image
    }

    [Fact]
    public void The_BIWI_reader_projects_the_same_head_centres_and_holds_out_person_13()
    {
        var folder = Path.Combine(Datasets, "headpose-quick");
        var frames = BiwiHeadPose.Load(folder).Items.ToDictionary(f => Path.GetFullPath(f.ImagePath));

        var python = ReadInPython(folder, new { kind = "Points", outputs = 2, itemTransforms = Array.Empty<object>() });

        Assert.Equal(frames.Count, python.Count);
        foreach (var (path, target, valid) in python)
        {
            var frame = frames[path];
            Assert.Equal(frame.Center.X, target[0], 2e-3);
            Assert.Equal(frame.Center.Y, target[1], 2e-3);
            Assert.Equal(frame.Person == "13", valid);
        }
        Assert.Contains(python, p => p.Valid);
        Assert.Contains(python, p => !p.Valid);
    }
}
