import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import LOAD

CELLS = [
("md", """
# Chapter 6, part 2: image regression (key points)

Here the target is not a label but a position: the centre of a person's head, as two numbers. The data are laid out
as the BIWI head-pose dataset: one folder per person, an RGB frame and a pose file per frame, and the camera's
calibration. This notebook reads that layout, turns the 3-D head centre into pixels with the camera intrinsics,
builds a DataBlock whose augmentation moves the point with the image, and trains a ResNet whose outputs are kept
in [-1, 1].

The bundled data are drawn head-pose frames in BIWI's exact layout and calibration convention; the parameter cell
switches to the real BIWI folder when you have it.
"""),
("cs", LOAD),
("cs", "#!device"),
("md", "## Parameters\n\n`MULTILABEL_BIWI` may name a BIWI head-pose folder (`01`..`24`). On a GPU the notebook uses the book's settings."),
("cs", """
using MultiLabel.Vision.Native;

var path = Environment.GetEnvironmentVariable("MULTILABEL_BIWI") is { Length: > 0 } biwi ? biwi
    : Path.Combine(repo!.FullName, "datasets", "headpose-quick");
bool gpu = TorchRuntime.Initialize().IsCuda;
var (width, height) = BiwiSize(path);
(int H, int W) augSize = gpu ? (240, 320) : (height / 2, width / 2);
int batchSize = gpu ? 64 : 8, epochs = gpu ? 3 : 5;
double baseLr = 1e-2;
TorchSharp.torch.manual_seed(42);

static (int, int) BiwiSize(string folder)
{
    var first = Directory.GetFiles(Path.Combine(folder, "01"), "*_rgb.jpg").Order().First();
    return MultiLabel.Vision.Imaging.ImageDecoder.Identify(first);
}
$"data: {path}; frames {width}×{height} → batches at {augSize.H}×{augSize.W}, batch {batchSize}, fine_tune({epochs}, {baseLr})"
"""),
("md", "## The folder layout\n\nOne folder per person, and in each a JPEG and a pose file per frame, plus the calibration `rgb.cal`:"),
("cs", """
var people = Directory.GetDirectories(path).Select(Path.GetFileName).Order().ToList();
var files = Directory.GetFiles(Path.Combine(path, "01")).Select(Path.GetFileName).Order().Take(5);
$"{people.Count} people: {string.Join(" ", people)}; in 01: {string.Join(", ", files)}"
"""),
("md", "A pose file holds a rotation (three rows) and, after a blank line, the head centre in millimetres; `rgb.cal` starts with the camera intrinsics:"),
("cs", """
var image = Directory.GetFiles(Path.Combine(path, "01"), "*_rgb.jpg").Order().First();
Func<string, string> img2pose = f => f.Replace("_rgb.jpg", "_pose.txt");
Console.WriteLine(File.ReadAllText(img2pose(image)));
Console.WriteLine(File.ReadAllText(Path.Combine(path, "01", "rgb.cal")));
"""),
("md", """
## From millimetres to pixels

The chapter's `get_ctr`: with intrinsics K (focal lengths on the diagonal, principal point in the last column),
`x = X·K[0][0]/Z + K[0][2]` and `y = Y·K[1][1]/Z + K[1][2]`. As a C# function, checked against the library's loader:
"""),
("cs", """
using MultiLabel.Vision.Data.Formats;
using MultiLabel.Vision.Imaging;

var cal = BiwiHeadPose.ReadIntrinsics(Path.Combine(path, "01", "rgb.cal"));
Point2 GetCtr(string f)
{
    var numbers = File.ReadLines(img2pose(f)).Where(l => l.Trim().Length > 0).Skip(3).First()
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    var (x, y, z) = (numbers[0], numbers[1], numbers[2]);
    return new Point2((float)(x * cal[0, 0] / z + cal[0, 2]), (float)(y * cal[1, 1] / z + cal[1, 2]));
}
var frames = BiwiHeadPose.Load(path).Items;
$"GetCtr: {GetCtr(image)}; loader: {frames.First(f => f.ImagePath == image).Center}; {frames.Count} frames"
"""),
("md", """
## The DataBlock

The target is a `PointBlock`: the point is scaled to [-1, 1] with the image size and moves with every augmentation.
The validation set is one person (13) the model never sees in training — otherwise it could memorise faces.
`AugTransforms` resizes the batch and applies fastai's augmentations to image and point together.
"""),
("cs", """
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Transforms;

var dblock = new DataBlock<BiwiFrame>(
    blocks: (new ImageBlock(), new PointBlock()),
    getX: f => f.ImagePath,
    getY: f => new[] { f.Center },
    splitter: Splitters.ByPredicate<BiwiFrame>(f => f.Person == BiwiHeadPose.DefaultValidPerson),
    batchTfms: new IBatchTransform[] { new AugTransforms(size: augSize) });
var dls = dblock.DataLoaders(frames, batchSize: batchSize, seed: 42);
var b = dls.OneBatch();
$"x {string.Join("×", b.X.shape)}, y {string.Join("×", b.Y.shape)}; first target {b.Y[0, 0, 0].item<float>():0.000}, {b.Y[0, 0, 1].item<float>():0.000}"
"""),
("cs", "#!show_batch --dls dls --max-items 9"),
("md", """
## The model

The outputs must be coordinates in [-1, 1], so the head ends with `sigmoid(x)·(hi − lo) + lo` (`yRange`), and the loss
is mean squared error. The learning-rate finder suggests where to train:
"""),
("cs", """
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;

var learn = VisionLearner.Create(dls, ResNets.Resnet18, yRange: (-1, 1), metrics: new IMetric[] { PointError.Mse(), PointError.RmsePixels() }, seed: 42);
learn.Loss.Name
"""),
("cs", "#!lr_find --learn learn --num-it 60"),
("cs", "#!fine_tune --learn learn --epochs @csharp:epochs --base-lr @csharp:baseLr --freeze-epochs 1"),
("md", "## How far off, in pixels\n\nThe MSE is in [-1, 1] units; the error in pixels of the original frames says more. A model that always predicts the average centre is the baseline to beat:"),
("cs", """
var preds = learn.GetPreds();
var mean = new[] { 0, 1 }.Select(k => preds.Targets.Where((_, i) => i % 2 == k).Average()).ToArray();
double baseline = preds.Targets.Select((t, i) => Math.Pow(t - mean[i % 2], 2)).Average();
double mse = preds.Activations.Zip(preds.Targets).Average(p => Math.Pow(p.First - p.Second, 2));
double rx = Math.Sqrt(preds.Activations.Zip(preds.Targets).Where((_, i) => i % 2 == 0).Average(p => Math.Pow((p.First - p.Second) * width / 2, 2)));
double ry = Math.Sqrt(preds.Activations.Zip(preds.Targets).Where((_, i) => i % 2 == 1).Average(p => Math.Pow((p.First - p.Second) * height / 2, 2)));
Console.WriteLine($"RESULT keypoints valid_mse={mse:0.000000} mean_predictor_mse={baseline:0.000000} ratio={mse / baseline:0.000} rmse_px_x={rx:0.00} rmse_px_y={ry:0.00}");
"""),
("cs", "#!show_results --learn learn --max-items 6"),
]
