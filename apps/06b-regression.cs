#!/usr/bin/env -S dotnet run
// Chapter 6b of Deep Learning for Coders, image regression (head-pose keypoints), as a file-based C# app:
//   dotnet run apps/06b-regression.cs [-- report.html]
// The same steps, seeds and settings as notebooks/06b-regression.ipynb; progress in the terminal, the views in a report page.
#:project ../src/MultiLabel.Views/MultiLabel.Views.csproj
#:package libtorch-cpu-linux-x64
#:property PublishAot=false

using System.Globalization;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Imaging;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Native;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using MultiLabel.Views;

// The book's data as fastai's untar_data gets it (fastai's cache reused), else the bundled stand-in, said in one line.
MultiLabel.Vision.Downloads.Downloader.DefaultProgress = ConsoleDownloadProgress.For;
var path = MultiLabel.Vision.Data.External.ExternalData.UntarData(MultiLabel.Vision.Data.External.Urls.BiwiHeadPose, orBundled: "headpose-quick");
bool gpu = TorchRuntime.Initialize().IsCuda;
int batchSize = gpu ? 64 : 16, epochs = 3;
double lr = 1e-2;
TorchSharp.torch.manual_seed(42);
var report = new Report("Chapter 6b: image regression (head pose)");
report.Add(MultiLabel.Vision.Models.Pretrained.RuntimeReport.Describe());
Console.WriteLine($"data: {path}; batch {batchSize}, fine_tune({epochs}, {lr})");

var imgFiles = ImageFiles.Get(path);
var im = RgbImage.Load(imgFiles[0]);
report.Heading("The data").Text($"{imgFiles.Count} images in {Directory.GetDirectories(path).Length} folders; the first one is {im.Width}×{im.Height}:").Add(im);

static string Img2Pose(string x) => x[..^7] + "pose.txt";
var cal = File.ReadLines(Path.Combine(path, "01", "rgb.cal")).Take(3)
    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .ToArray();
Point2 GetCtr(string f)
{
    var ctr = File.ReadLines(Img2Pose(f)).Where(l => l.Trim().Length > 0).Skip(3).First()
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    return new Point2((float)(ctr[0] * cal[0][0] / ctr[2] + cal[0][2]), (float)(ctr[1] * cal[1][1] / ctr[2] + cal[1][2]));
}

// On a CPU never the photos' own size: the bundled frames (80×60) as they are, BIWI's every 4th frame at 96×128.
var cpuSize = im.Width <= 128 ? (im.Height, im.Width) : (96, 128);
var frames = gpu || imgFiles.Count <= 4000 ? imgFiles.ToList() : imgFiles.Where((_, k) => k % 4 == 0).ToList();
int cpuOrGpuHeight = gpu ? 240 : cpuSize.Item1, cpuOrGpuWidth = gpu ? 320 : cpuSize.Item2;
var biwi = new DataBlock<string>(
    blocks: (new ImageBlock(), new PointBlock()),
    getX: f => f,
    getY: f => new[] { GetCtr(f) },
    splitter: Splitters.FuncSplitter<string>(o => ImageFiles.ParentLabel(o) == "13"),
    batchTfms: [new AugTransforms(size: gpu ? (240, 320) : cpuSize)]);
var dls = biwi.DataLoaders(frames, batchSize: batchSize, seed: 42);
report.Add(dls).Add(dls.ShowBatch(9));

var learn = VisionLearner.Create(dls, ResNets.ResNet18, yRange: (-1, 1), metrics: [PointError.Mse(), PointError.RmsePixels()],
    seed: 42, trainBn: gpu, callbacks: gpu ? null : [new BnFreeze()]);
learn.Add(new ConsoleProgress());
report.Heading("Training").Add(learn);
var found = learn.LrFind();
Console.WriteLine($"lr_find: {found}");
report.Add(found);
learn.FineTune(epochs, baseLr: lr, frozenPctStart: gpu ? 0.99 : 0.25);
report.Add(learn.Recorder);

var preds = learn.GetPreds();
var mean = new[] { 0, 1 }.Select(k => preds.Targets.Where((_, i) => i % 2 == k).Average()).ToArray();
double meanPredictor = preds.Targets.Select((t, i) => Math.Pow(t - mean[i % 2], 2)).Average();
double mse = preds.Activations.Zip(preds.Targets).Average(p => Math.Pow(p.First - p.Second, 2));
double rx = Math.Sqrt(preds.Activations.Zip(preds.Targets).Where((_, i) => i % 2 == 0).Average(p => Math.Pow((p.First - p.Second) * cpuOrGpuWidth / 2, 2)));
double ry = Math.Sqrt(preds.Activations.Zip(preds.Targets).Where((_, i) => i % 2 == 1).Average(p => Math.Pow((p.First - p.Second) * cpuOrGpuHeight / 2, 2)));
var result = string.Create(CultureInfo.InvariantCulture,
    $"RESULT keypoints valid_mse={mse:0.000000} mean_predictor_mse={meanPredictor:0.000000} ratio={mse / meanPredictor:0.000} worst_epoch_mse={learn.Recorder.Epochs.Max(e => e.ValidLoss):0.000000} rmse_px_x={rx:0.00} rmse_px_y={ry:0.00}");
Console.WriteLine(result);
report.Heading("Results").Text(result).Add(learn.ShowResults(6));

Console.WriteLine($"report: {report.Save(args.Length > 0 ? args[0] : "06b-regression.html")}");
