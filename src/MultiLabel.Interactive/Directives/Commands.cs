using Microsoft.DotNet.Interactive.Commands;

namespace MultiLabel.Interactive.Directives;

// The parameters of each magic command (MagicCommands registers them): the kernel binds --option-name to OptionName.

/// <summary>Parameters of <c>#!device</c>.</summary>
public sealed class DeviceCommand : KernelDirectiveCommand
{
    /// <summary>A libtorch folder to load (e.g. PyTorch's torch/lib for CUDA); only before the first torch call.</summary>
    public string? Libtorch { get; set; }
}

/// <summary>#!show_batch parameters.</summary>
public sealed class ShowBatchCommand : KernelDirectiveCommand
{
    /// <summary>The <c>DataLoaders</c> variable to show (the first argument).</summary>
    public string? Dls { get; set; }
    /// <summary>How many items to show (<c>--max-items</c>, fastai's <c>max_n</c>).</summary>
    public int MaxItems { get; set; } = 9;
    /// <summary>Show a validation batch instead of a training batch (<c>--valid</c>).</summary>
    public bool Valid { get; set; }
}

/// <summary>#!lr_find parameters.</summary>
public sealed class LrFindCommand : KernelDirectiveCommand
{
    /// <summary>The <c>Learner</c> variable (the first argument).</summary>
    public string? Learn { get; set; }
    /// <summary>The sweep's first learning rate (<c>--start-lr</c>).</summary>
    public double StartLr { get; set; } = 1e-7;
    /// <summary>The sweep's last learning rate (<c>--end-lr</c>).</summary>
    public double EndLr { get; set; } = 10;
    /// <summary>How many batches the sweep runs at most (<c>--num-it</c>).</summary>
    public int NumIt { get; set; } = 100;
    /// <summary>The C# variable that receives the <c>LrFindResult</c> (<c>--name</c>).</summary>
    public string Name { get; set; } = "lrFind";
}

/// <summary>#!fine_tune parameters (fastai's defaults).</summary>
public sealed class FineTuneCommand : KernelDirectiveCommand
{
    /// <summary>The <c>Learner</c> variable (the first argument).</summary>
    public string? Learn { get; set; }
    /// <summary>Epochs of the unfrozen phase (<c>--epochs</c>).</summary>
    public int Epochs { get; set; } = 1;
    /// <summary>The unfrozen phase's highest learning rate before halving (<c>--base-lr</c>).</summary>
    public double BaseLr { get; set; } = 2e-3;
    /// <summary>Epochs of the frozen phase, where only the head trains (<c>--freeze-epochs</c>).</summary>
    public int FreezeEpochs { get; set; } = 1;
    /// <summary>Ratio of the last group's learning rate to the first's once unfrozen (<c>--lr-mult</c>).</summary>
    public double LrMult { get; set; } = 100;
    /// <summary>Fraction of the unfrozen phase spent warming up (<c>--pct-start</c>).</summary>
    public double PctStart { get; set; } = 0.3;
    /// <summary>The unfrozen phase starts at its highest rate divided by this (<c>--div</c>).</summary>
    public double Div { get; set; } = 5;
    /// <summary>Warm-up fraction of the frozen phase (<c>--frozen-pct-start</c>; fastai's value is the default).</summary>
    public double FrozenPctStart { get; set; } = 0.99;
}

/// <summary>#!fit_one_cycle parameters.</summary>
public sealed class FitOneCycleCommand : KernelDirectiveCommand
{
    /// <summary>The <c>Learner</c> variable (the first argument).</summary>
    public string? Learn { get; set; }
    /// <summary>Epochs to train (<c>--epochs</c>).</summary>
    public int Epochs { get; set; } = 1;
    /// <summary>The highest learning rate of the cycle (<c>--lr-max</c>).</summary>
    public double LrMax { get; set; } = 1e-3;
    /// <summary>Fraction of the cycle spent warming up (<c>--pct-start</c>).</summary>
    public double PctStart { get; set; } = 0.25;
}

/// <summary>#!show_results parameters.</summary>
public sealed class ShowResultsCommand : KernelDirectiveCommand
{
    /// <summary>The <c>Learner</c> variable (the first argument).</summary>
    public string? Learn { get; set; }
    /// <summary>How many items to show (<c>--max-items</c>, fastai's <c>max_n</c>).</summary>
    public int MaxItems { get; set; } = 9;
}

/// <summary>#!threshold_sweep parameters (the chapter's linspace(0.05, 0.95, 29)).</summary>
public sealed class ThresholdSweepCommand : KernelDirectiveCommand
{
    /// <summary>The <c>Learner</c> variable (the first argument).</summary>
    public string? Learn { get; set; }
    /// <summary>The first threshold tried (<c>--start</c>).</summary>
    public double Start { get; set; } = 0.05;
    /// <summary>The last threshold tried (<c>--end</c>).</summary>
    public double End { get; set; } = 0.95;
    /// <summary>How many evenly spaced thresholds, ends included (<c>--steps</c>).</summary>
    public int Steps { get; set; } = 29;
    /// <summary>The C# variable that receives the sweep (<c>--name</c>).</summary>
    public string Name { get; set; } = "sweep";
}
