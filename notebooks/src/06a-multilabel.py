import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import LOAD

CELLS = [
("md", """
# Chapter 6, part 1: multi-label classification

One photo can hold a person, a horse and a car at once. Instead of picking *the* label, a multi-label model answers
one yes/no question per label. This notebook follows the chapter's path in C#: read the labels table, build the
`DataBlock` step by step, look at a batch, see what the model outputs, why the loss is binary cross-entropy, why plain
accuracy does not fit and what `accuracy_multi` does, train with `fine_tune`, and choose the decision threshold.

The bundled data are PASCAL-style *scenes* (shapes instead of photos, same files and CSV layout as PASCAL VOC 2007);
the parameter cell below switches to the real PASCAL 2007 folder when you have it.
"""),
("cs", LOAD),
("cs", "#!device"),
("md", """
## Parameters

`MULTILABEL_PASCAL` may name a PASCAL 2007 folder (`train.csv` + `train/`). On a GPU the notebook uses the book's
settings (128 px, batch 64, `fine_tune(3, 3e-3, freeze_epochs: 4)`); on a CPU it uses 96 px, batch 16 and
`fine_tune(6, 1e-2, freeze_epochs: 2)`, which trains in under two minutes on two cores.
"""),
("cs", """
using MultiLabel.Vision.Native;

var path = Environment.GetEnvironmentVariable("MULTILABEL_PASCAL") is { Length: > 0 } pascal ? pascal
    : Path.Combine(repo!.FullName, "datasets", "scenes-quick");
bool gpu = TorchRuntime.Initialize().IsCuda;
int size = gpu ? 128 : 96, batchSize = gpu ? 64 : 16, epochs = gpu ? 3 : 6, freezeEpochs = gpu ? 4 : 2;
double baseLr = gpu ? 3e-3 : 1e-2;
TorchSharp.torch.manual_seed(42);
$"data: {path}; {size} px, batch {batchSize}, fine_tune({epochs}, {baseLr}, freezeEpochs: {freezeEpochs})"
"""),
("md", """
## The labels table

`train.csv` has one row per image: its file name, its labels separated by spaces, and whether it belongs to the
validation set. A `DataFrame` (Microsoft.Data.Analysis, the C# counterpart of pandas) reads it.
"""),
("cs", """
using Microsoft.Data.Analysis;

var df = DataFrame.LoadCsv(Path.Combine(path, "train.csv"));
df.Head(5)
"""),
("md", "Rows and columns are addressed by position or by name, and new columns can be computed from others:"),
("cs", """
var first = df.Rows[0];
var fnames = df["fname"];
var trainCount = df.Filter(df["is_valid"].ElementwiseEquals(false)).Rows.Count;
var lengths = new PrimitiveDataFrameColumn<int>("label_count", df.Rows.Select(r => (r[1]?.ToString() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
df.Columns.Add(lengths);
$"{df.Rows.Count} rows, {df.Columns.Count} columns; first row: {first}; first file {fnames[0]}; {trainCount} training rows; most labels in one image: {lengths.Max()}"
"""),
("md", """
## Building the DataBlock step by step

With no getters, a `DataBlock` just hands each row back as both the input and the target:
"""),
("cs", """
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Transforms;

var table = Table.FromDataFrame(df, "train.csv");
var dsets = new DataBlock<TableRow>().Datasets(table.Rows);
dsets.Train[0]
"""),
("md", "Getters say where the input and the target come from — the image's path, and the list of its labels:"),
("cs", """
object GetX(TableRow r) => Path.Combine(path, "train", r["fname"]);
object GetY(TableRow r) => r["labels"].Split(' ');

dsets = new DataBlock<TableRow>(getX: GetX, getY: GetY).Datasets(table.Rows);
dsets.Train[0]
"""),
("md", """
Blocks say what they *are*: an image, and several categories. The multi-category block learns the vocabulary (the
sorted labels seen in training) and encodes each target as a one-hot vector over it. The splitter uses the `is_valid`
column, and `RandomResizedCrop` gives every image the same size while varying the crop.
"""),
("cs", """
var dblock = new DataBlock<TableRow>(
    blocks: (new ImageBlock(), new MultiCategoryBlock()),
    splitter: Splitters.Column("is_valid"),
    getX: GetX, getY: GetY,
    itemTfms: new IItemTransform[] { new RandomResizedCrop(size, minScale: 0.35) });
dsets = dblock.Datasets(table.Rows);
var oneHot = new float[dsets.Vocab!.Count];
dsets.YBlock!.Encode(dsets.Train[0].Y, null, 0, 0, oneHot);
display(dsets.Vocab.ToString());
new LabelVector(dsets.Vocab, oneHot)
"""),
("cs", """
var dls = dblock.DataLoaders(table.Rows, batchSize: batchSize, seed: 42);
dls
"""),
("cs", "#!show_batch --dls dls --max-items 9"),
("md", """
## What the model outputs

`VisionLearner.Create` puts fastai's head on a pretrained ResNet-18 body; the head has one output per label. On a batch,
the raw outputs (activations) are any real numbers — one row per image, one column per label:
"""),
("cs", """
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using static TorchSharp.torch;

var learn = VisionLearner.Create(dls, ResNets.Resnet18, metrics: new IMetric[] { new AccuracyMulti(threshold: 0.2f), MultiLabelMetric.F1Micro(0.2f) }, seed: 42);
var batch = dls.OneBatch();
Tensor activs;
using (no_grad()) activs = learn.Model.call(batch.X); // training mode, as learn.model(x) in the chapter
$"activations {string.Join("×", activs.shape)}; first row: {string.Join(", ", activs[0].data<float>().ToArray().Select(v => v.ToString("0.00")))}"
"""),
("md", """
## Binary cross-entropy

Each output goes through a sigmoid (a probability for that label), and the loss asks it to be near 1 where the label is
present and near 0 where it is not. Written by hand as in the chapter, it equals the library's loss:
"""),
("cs", """
Tensor BinaryCrossEntropy(Tensor inputs, Tensor targets)
{
    var p = inputs.sigmoid();
    return -where(targets == 1, p, 1 - p).log().mean();
}

var byHand = BinaryCrossEntropy(activs, batch.Y).item<float>();
var library = learn.Loss.Compute(activs, batch.Y).item<float>();
$"hand-written {byHand:0.000000}, {learn.Loss.Name} {library:0.000000}, equal to float precision: {Math.Abs(byHand - library) <= 1e-5 * Math.Max(1, Math.Abs(library))}"
"""),
("md", """
## Accuracy for several labels

Argmax accuracy picks one label per image, which makes no sense here. `accuracy_multi` thresholds every sigmoid and
compares each cell with the target. The chapter fixes the threshold with `partial`; in C# a lambda (or the metric's
constructor) does the same:
"""),
("cs", """
Func<Tensor, Tensor, double> accuracyAt(float threshold) => (x, t) => AccuracyMulti.Compute(x, t, threshold);
var at02 = accuracyAt(0.2f);
$"untrained accuracy_multi at 0.2: {at02(activs, batch.Y):0.0000}, at 0.5: {accuracyAt(0.5f)(activs, batch.Y):0.0000}"
"""),
("md", """
## Training

`fine_tune` first trains the new head with the body frozen, then the whole network with smaller rates for earlier
layers. The bar, the epoch table and the loss curve update while it runs.

On a GPU with bfloat16 tensor cores (or a CPU that `#!device` shows as native bfloat16), `learn.ToBf16()` before
training is fastai's `to_fp16()`: the model computes in
bfloat16 (channels-last) while float32 master weights take the updates; `learn.ToFp32()` goes back.
"""),
("cs", "#!fine_tune --learn learn --epochs @csharp:epochs --base-lr @csharp:baseLr --freeze-epochs @csharp:freezeEpochs"),
("md", """
## Choosing the threshold

The metric's threshold does not change the model, so we can score the validation predictions again at other
thresholds — too low or too high both hurt:
"""),
("cs", """
var preds = learn.GetPreds();
var probs = tensor(preds.Activations).view(preds.Count, -1);
var targs = tensor(preds.Targets).view(preds.Count, -1);
string.Join(", ", new[] { 0.1f, 0.5f, 0.99f }.Select(t => $"{t}: {AccuracyMulti.Compute(probs, targs, t, sigmoid: false):0.0000}"))
"""),
("cs", "#!threshold_sweep --learn learn --start 0.05 --end 0.95 --steps 29"),
("md", """
## Beyond fastai: per-label thresholds, F1 and mAP

`accuracy_multi` is dominated by the many correct "no" cells. Precision, recall and F1 per label, their micro and macro
averages, and mean average precision say more; a threshold per label, chosen on validation, often helps the rarer labels.
"""),
("cs", """
var perClass = ThresholdSweep.PerClassThresholds(preds.Activations, preds.Targets, dls.Vocab!.Count);
var global = MultiLabelScores.Compute(preds.Activations, preds.Targets, dls.Vocab!, (float)sweep.BestThreshold);
var tuned = MultiLabelScores.Compute(preds.Activations, preds.Targets, dls.Vocab!, perClass);
display($"micro-F1 at the best global threshold {sweep.BestThreshold:0.###}: {global.MicroF1:0.0000}; with per-label thresholds: {tuned.MicroF1:0.0000}");
tuned
"""),
("cs", """
double allNegative = 1 - preds.Targets.Average();
var at05 = MultiLabelScores.Compute(preds.Activations, preds.Targets, dls.Vocab!, 0.5f);
Console.WriteLine($"RESULT multilabel accuracy_multi@0.2={AccuracyMulti.Compute(probs, targs, 0.2f, sigmoid: false):0.0000} accuracy_multi@0.5={at05.AccuracyMulti:0.0000} all_negative={allNegative:0.0000} best_threshold={sweep.BestThreshold:0.###} best_accuracy={sweep.BestAccuracy:0.0000} micro_f1={at05.MicroF1:0.0000} mAP={at05.MeanAveragePrecision:0.0000}");
"""),
("md", "A trained learner can be exported to one file and loaded again to predict new images:"),
("cs", """
var exported = Path.Combine(Path.GetTempPath(), "multilabel-06a.mlx");
learn.Save(exported);
var loaded = Export.Load(exported);
loaded.Predict(Path.Combine(path, "train", table.Rows[0]["fname"])).Decoded
"""),
]
