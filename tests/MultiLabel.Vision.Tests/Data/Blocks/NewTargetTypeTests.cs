using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Tests.Training;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Data.Blocks;

/// <summary>A new kind of target is one class: this file's block (how many labels a scene has, as a number) trains,
/// shows its batch and results, and predicts, without a change anywhere else.</summary>
public sealed class NewTargetTypeTests
{
    /// <summary>The number of labels of a scene, as one real number.</summary>
    sealed class LabelCountBlock : TargetBlock
    {
        public override string Kind => "LabelCount";
        public override int EncodedLength => 1;
        public override object Validate(object? raw, string location) =>
            raw is int n && n >= 0 ? n : throw new InvalidDataException($"{location}: a label count, not {raw}.");
        public override TargetBlock Setup(IReadOnlyList<(object Target, string Location)> train, IReadOnlyList<(object Target, string Location)> valid) => this;
        public override void Encode(object target, IReadOnlyList<Point2>? points, int width, int height, Span<float> destination) => destination[0] = (int)target;
        public override string Describe(object target) => $"{target} labels";
        public override ILoss DefaultLoss() => new MSELossFlat();
        public override object Decode(float[] activations, int width, int height, float threshold) => (int)Math.Max(0, Math.Round(activations[0]));
        protected internal override TargetBlock Refit(IReadOnlyList<string>? vocab, int outputs) => this;
    }

    [Fact]
    public void A_block_in_one_file_trains_shows_and_predicts_through_the_same_pipeline()
    {
        using var scope = NewDisposeScope();
        var table = Table.ReadCsv(Path.Combine(TinyScenes.Folder, "train.csv"));
        var dls = new DataBlock<TableRow>((new ImageBlock(), new LabelCountBlock()), r => Path.Combine(TinyScenes.Folder, "train", r["fname"]),
                r => r["labels"].Split(' ').Length, Splitters.RandomSplitter<TableRow>(0.25, seed: 3), itemTfms: [new Resize(32)])
            .DataLoaders(table.Rows.Take(48).ToList(), batchSize: 8, seed: 2, device: CPU, workers: 2);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);

        learn.Fit(1, 1e-3);
        var batch = dls.ShowBatch(4);
        var results = learn.ShowResults(4);
        var prediction = learn.Predict(Path.Combine(TinyScenes.Folder, "train", table.Rows[0]["fname"]));

        Assert.Equal("LabelCount", dls.Kind);
        Assert.Equal(1, dls.OutputCount);
        Assert.All(batch.Items, item => Assert.Matches(@"^\d+ labels$", item.Title));
        Assert.All(batch.Items, item => Assert.Null(item.Points));
        Assert.All(results.Items, item => Assert.IsType<int>(item.Predicted));
        Assert.Same(dls.Target, results.Target);
        Assert.Matches(@"^\d+ labels$", prediction.ToString());
        Assert.True(double.IsFinite(learn.Recorder.Epochs[^1].ValidLoss));
    }
}
