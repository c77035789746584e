using MultiLabel.Views;
using Microsoft.DotNet.Interactive.Commands;

namespace MultiLabel.Interactive.Directives;

/// <summary>#!show_batch parameters.</summary>
public sealed class ShowBatchCommand : KernelDirectiveCommand
{
    public string? Dls { get; set; }
    public int MaxItems { get; set; } = 9;
    public bool Valid { get; set; }
}

/// <summary>#!lr_find parameters.</summary>
public sealed class LrFindCommand : KernelDirectiveCommand
{
    public string? Learn { get; set; }
    public double StartLr { get; set; } = 1e-7;
    public double EndLr { get; set; } = 10;
    public int NumIt { get; set; } = 100;
    public string Name { get; set; } = "lrFind";
}

/// <summary>#!fine_tune parameters (fastai's defaults).</summary>
public sealed class FineTuneCommand : KernelDirectiveCommand
{
    public string? Learn { get; set; }
    public int Epochs { get; set; } = 1;
    public double BaseLr { get; set; } = 2e-3;
    public int FreezeEpochs { get; set; } = 1;
    public double LrMult { get; set; } = 100;
    public double PctStart { get; set; } = 0.3;
    public double Div { get; set; } = 5;
    public double FrozenPctStart { get; set; } = 0.99;
}

/// <summary>#!fit_one_cycle parameters.</summary>
public sealed class FitOneCycleCommand : KernelDirectiveCommand
{
    public string? Learn { get; set; }
    public int Epochs { get; set; } = 1;
    public double LrMax { get; set; } = 1e-3;
    public double PctStart { get; set; } = 0.25;
}

/// <summary>#!show_results parameters.</summary>
public sealed class ShowResultsCommand : KernelDirectiveCommand
{
    public string? Learn { get; set; }
    public int MaxItems { get; set; } = 9;
}

/// <summary>#!threshold_sweep parameters (the chapter's linspace(0.05, 0.95, 29)).</summary>
public sealed class ThresholdSweepCommand : KernelDirectiveCommand
{
    public string? Learn { get; set; }
    public double Start { get; set; } = 0.05;
    public double End { get; set; } = 0.95;
    public int Steps { get; set; } = 29;
    public string Name { get; set; } = "sweep";
}
