import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import LOAD

CELLS = [
("md", """
# Smoke test: the package loads, torch computes, formatters and charts render

This notebook checks the foundation every chapter notebook stands on: the MultiLabel.Interactive
extension loads into the kernel, TorchSharp runs (on Debian 12 / Ubuntu 22.04 too), a label vector
is shown with the package's formatter, and a Plotly chart renders without a network connection.
"""),
("cs", LOAD),
("md", "`#!device` shows what was loaded: backend (CPU or CUDA), libtorch folder, whether the GLIBCXX patch was needed."),
("cs", "#!device"),
("md", "A small torch computation: a 3×4 matrix of ones times 2, summed (24)."),
("cs", """
using TorchSharp;
using static TorchSharp.torch;

var x = ones(3, 4) * 2;
x.sum().item<float>()
"""),
("md", "A label vector over a small vocabulary: probabilities as bars, the labels above the threshold decoded."),
("cs", """
using MultiLabel.Vision.Data;

var prediction = new LabelVector(new[] { "bicycle", "car", "dog", "person" }, new[] { 0.91f, 0.08f, 0.35f, 0.77f }, threshold: 0.5f);
prediction
"""),
("md", "A loss curve drawn with Plotly.NET; plotly.js travels inside the output, so it renders offline."),
("cs", """
using Plotly.NET.CSharp;

var steps = Enumerable.Range(1, 20).ToArray();
var losses = steps.Select(s => Math.Exp(-s / 6.0) + 0.1).ToArray();
Plotly.NET.CSharp.Chart.Line<int, double, string>(x: steps, y: losses, Name: "train loss")
    .WithXAxisStyle<double, double, string>(TitleText: "step")
    .WithYAxisStyle<double, double, string>(TitleText: "loss")
"""),
]
