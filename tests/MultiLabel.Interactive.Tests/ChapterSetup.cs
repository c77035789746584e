namespace MultiLabel.Interactive.Tests;

/// <summary>C# cells that build small chapter objects inside the kernel (tiny images, few items: fast on a CPU).</summary>
static class ChapterSetup
{
    public static string Root => global::MultiLabel.Testing.RepositoryRoot.Path;

    public static string MultiLabel(int rows = 64, int size = 32, int batch = 8) => $$"""
        using MultiLabel.Vision.Data; using MultiLabel.Vision.Data.Blocks; using MultiLabel.Vision.Data.Tables; using MultiLabel.Vision.Transforms;
        using MultiLabel.Vision.Training; using MultiLabel.Vision.Models; using MultiLabel.Vision.Metrics;
        var path = @"{{Path.Combine(Root, "datasets", "scenes-quick")}}";
        var table = Table.ReadCsv(System.IO.Path.Combine(path, "train.csv"));
        var dblock = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => System.IO.Path.Combine(path, "train", r["fname"]),
            r => r["labels"].Split(' '), Splitters.RandomSplitter<TableRow>(0.25, seed: 1), itemTfms: new IItemTransform[] { new RandomResizedCrop({{size}}, minScale: 0.35) });
        var dls = dblock.DataLoaders(table.Rows.Take({{rows}}), batchSize: {{batch}}, device: TorchSharp.torch.CPU, workers: 2);
        var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, metrics: new IMetric[] { new AccuracyMulti(0.2f) }, seed: 1);
        """;

    public static string Keypoints() => $$"""
        using MultiLabel.Vision.Data; using MultiLabel.Vision.Data.Blocks; using MultiLabel.Vision.Data.Formats; using MultiLabel.Vision.Transforms;
        using MultiLabel.Vision.Training; using MultiLabel.Vision.Models;
        var frames = BiwiHeadPose.Load(@"{{Path.Combine(Root, "datasets", "headpose-quick")}}").Items.Where(f => int.Parse(f.Person) <= 3 || f.Person == "13").GroupBy(f => f.Person).SelectMany(g => g.Take(30)).ToList();
        var pblock = new DataBlock<BiwiFrame>((new ImageBlock(), new PointBlock()), f => f.ImagePath, f => new[] { f.Center },
            Splitters.FuncSplitter<BiwiFrame>(f => f.Person == "13"), batchTfms: new IBatchTransform[] { new AugTransforms(size: (60, 80)) });
        var pdls = pblock.DataLoaders(frames, batchSize: 8, device: TorchSharp.torch.CPU, workers: 2);
        var plearn = VisionLearner.Create(pdls, ResNets.ResNet18, pretrained: false, yRange: (-1, 1), seed: 1);
        """;
}
