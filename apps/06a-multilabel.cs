#!/usr/bin/env -S dotnet run
// Chapter 6a of Deep Learning for Coders, multi-label classification, as a file-based C# app:
//   dotnet run apps/06a-multilabel.cs [-- report.html]
// The same steps, seeds and settings as notebooks/06a-multilabel.ipynb; progress in the terminal, the views in a report page.
#:project ../src/MultiLabel.Views/MultiLabel.Views.csproj
#:package libtorch-cpu-linux-x64
#:property PublishAot=false

using System.Globalization;
using Microsoft.Data.Analysis;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Data.External;
using MultiLabel.Vision.Downloads;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Native;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using MultiLabel.Views;
using static TorchSharp.torch;
using static MultiLabel.Vision.Data.External.ExternalData;

// The book's data as fastai's untar_data gets it (fastai's cache reused), else the bundled stand-in, said in one line.
Downloader.DefaultProgress = ConsoleDownloadProgress.For;
var path = UntarData(Urls.Pascal2007, orBundled: "scenes-quick");
bool gpu = TorchRuntime.Initialize().IsCuda;
var arch = gpu ? ResNets.ResNet50 : ResNets.ResNet18;
int size = gpu ? 128 : 96, batchSize = gpu ? 64 : 16, epochs = gpu ? 3 : 6, freezeEpochs = gpu ? 4 : 2, cpuImages = 2000;
double baseLr = gpu ? 3e-3 : 1e-2;
manual_seed(42);
var report = new Report("Chapter 6a: multi-label classification");
report.Add(MultiLabel.Vision.Models.Pretrained.RuntimeReport.Describe());
Console.WriteLine($"data: {path}; {arch.Name}, {size} px, batch {batchSize}, fine_tune({epochs}, {baseLr}, freezeEpochs: {freezeEpochs})");

// The data: the CSV, then the DataBlock step by step, as the chapter builds it.
var df = DataFrame.LoadCsv(Path.Combine(path, "train.csv"));
var table = Table.FromDataFrame(df, "train.csv");
object GetX(TableRow r) => Path.Combine(path, "train", r["fname"]);
object GetY(TableRow r) => r["labels"].Split(' ');
var dsets = new DataBlock<TableRow>(blocks: (new ImageBlock(), new MultiCategoryBlock()), getX: GetX, getY: GetY).Datasets(table.Rows);
var (image, oneHot) = dsets.Train[0].Encode();
report.Heading("The data").Text($"{table.Rows.Count} images; the first training item as the model sees it, image and one-hot target:")
    .Add(dsets.Train[0]);
var labels = where(oneHot == 1)[0].data<long>().Select(i => dsets.Vocab![(int)i]);
report.Text($"its labels: {string.Join(", ", labels)}");

var dblock = new DataBlock<TableRow>(
    blocks: (new ImageBlock(), new MultiCategoryBlock()),
    splitter: Splitters.ColSplitter("is_valid"),
    getX: GetX, getY: GetY,
    itemTfms: [new RandomResizedCrop(size, minScale: 0.35)]);
// On a CPU at most 2,000 images (a seeded sample of PASCAL's 5,011; the bundled scenes are 2,000), as the notebook does.
var sampler = new Random(42);
var rows = gpu || table.Rows.Count <= cpuImages ? table.Rows.ToList() : table.Rows.OrderBy(_ => sampler.Next()).Take(cpuImages).ToList();
var dls = dblock.DataLoaders(rows, batchSize: batchSize, seed: 42);
report.Add(dls).Add(dls.ShowBatch(9));

// The model and the loss, checked by hand on one batch before training (the model in training mode, as the chapter).
var learn = VisionLearner.Create(dls, arch, metrics: [new AccuracyMulti(threshold: 0.2f)], seed: 42);
learn.Add(new ConsoleProgress());
var batch = dls.OneBatch();
Tensor activs;
using (no_grad()) activs = learn.Model.call(batch.X);
var p = activs.sigmoid();
var byHand = (-where(batch.Y == 1, p, 1 - p).log().mean()).item<float>();
var library = learn.Loss.Compute(activs, batch.Y).item<float>();
report.Heading("The model and its loss").Add(learn)
    .Text(string.Create(CultureInfo.InvariantCulture, $"binary cross-entropy by hand {byHand:0.000000}; {learn.Loss.Name} {library:0.000000}"));

// Training.
learn.FineTune(epochs, baseLr: baseLr, freezeEpochs: freezeEpochs);
report.Heading("Training").Add(learn.Recorder);
learn.Metrics = [new AccuracyMulti(threshold: 0.1f)];
report.Text($"accuracy_multi at 0.1: {learn.Validate()}");
learn.Metrics = [new AccuracyMulti(threshold: 0.99f)];
report.Text($"accuracy_multi at 0.99: {learn.Validate()}");

// Choosing the threshold.
learn.Metrics = [new AccuracyMulti(threshold: 0.2f)];
var preds = learn.GetPreds();
var (probs, targs) = preds;
var xs = linspace(0.05, 0.95, 29).data<float>().ToArray();
var accs = xs.Select(t => AccuracyMulti.Compute(probs, targs, t, sigmoid: false)).ToArray();
var sweep = ThresholdSweep.Run(preds.Activations, preds.Targets, ThresholdSweep.Linspace(0.05, 0.95, 29));
var global = MultiLabelScores.Compute(preds.Activations, preds.Targets, dls.Vocab!, (float)sweep.BestThreshold);
var tuned = MultiLabelScores.Compute(preds.Activations, preds.Targets, dls.Vocab!,
    ThresholdSweep.PerClassThresholds(preds.Activations, preds.Targets, dls.Vocab!.Count));
double allNegative = 1 - preds.Targets.Average();
double accuracyAt02 = AccuracyMulti.Compute(probs, targs, 0.2f, sigmoid: false);
var result = string.Create(CultureInfo.InvariantCulture,
    $"RESULT multilabel accuracy_multi@0.2={accuracyAt02:0.0000} all_negative={allNegative:0.0000} best_threshold={sweep.BestThreshold:0.###} best_accuracy={sweep.BestAccuracy:0.0000} sweep_at_0.05={accs[0]:0.0000} sweep_at_0.95={accs[^1]:0.0000} micro_f1={global.MicroF1:0.0000} mAP={global.MeanAveragePrecision:0.0000}");
Console.WriteLine(result);
report.Heading("Choosing the threshold").Add(Plot.Line(xs.Select(t => (double)t), accs, "threshold", "accuracy_multi")).Add(sweep)
    .Text(string.Create(CultureInfo.InvariantCulture, $"micro-F1 at the best global threshold {sweep.BestThreshold:0.###}: {global.MicroF1:0.0000}; with per-label thresholds: {tuned.MicroF1:0.0000}"))
    .Add(tuned).Text(result).Add(learn.ShowResults(9));

Console.WriteLine($"report: {report.Save(args.Length > 0 ? args[0] : "06a-multilabel.html")}");
