using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using MultiLabel.Interactive.Progress;
using MultiLabel.Native;
using MultiLabel.Views;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Directives;

/// <summary>
/// Every magic command of the package, registered by <see cref="Register"/>: one line per command here, one small method
/// per command below, its parameters in <c>Commands.cs</c>. Learner and DataLoaders are C# variables given by name
/// (<c>#!fine_tune learn --epochs 3</c> or <c>#!fine_tune --learn learn --epochs 3</c>). Bad variables or parameters fail
/// the cell through the kernel's diagnostics; the kernel keeps running.
/// </summary>
sealed class MagicCommands(Kernel kernel)
{
    readonly List<string> names = [];

    /// <summary>Adds the commands to <paramref name="kernel"/>; returns their names, in order, for the banner.</summary>
    public static IReadOnlyList<string> Register(Kernel kernel)
    {
        var m = new MagicCommands(kernel);
        m.Add<DeviceCommand>("#!device", "Shows the torch backend in use (CUDA when available, else CPU) and how to enable a GPU",
            [new("--libtorch", "A libtorch folder to use, e.g. PyTorch's torch/lib (before any torch use)")], m.Device);
        m.Add<ShowBatchCommand>("#!show_batch", "Shows a batch of a DataLoaders variable (fastai's show_batch)",
            [m.Variable<DataLoaders>("--dls", "C# variable holding DataLoaders"), Number("--max-items", "items to show (default 9)"),
             new("--valid", "show the validation set") { Flag = true }], m.ShowBatch);
        m.Add<LrFindCommand>("#!lr_find", "Runs the learning-rate finder on a Learner and plots loss against learning rate",
            [m.Variable<Learner>("--learn", "C# variable holding a Learner"), Number("--start-lr", "default 1e-7"), Number("--end-lr", "default 10"),
             Number("--num-it", "default 100"), new("--name", "C# variable to receive the result (default lrFind)")], m.LrFind);
        m.Add<FineTuneCommand>("#!fine_tune", "fastai's fine_tune with a live progress bar, epoch table and loss curve",
            [m.Variable<Learner>("--learn", "C# variable holding a Learner"), Number("--epochs", "unfrozen epochs (default 1)"), Number("--base-lr", "default 2e-3"),
             Number("--freeze-epochs", "default 1"), Number("--lr-mult", "default 100"), Number("--pct-start", "default 0.3"), Number("--div", "default 5"),
             Number("--frozen-pct-start", "default 0.99 (fastai); lower anneals the frozen fit")], m.FineTune);
        m.Add<FitOneCycleCommand>("#!fit_one_cycle", "fastai's fit_one_cycle with live progress",
            [m.Variable<Learner>("--learn", "C# variable holding a Learner"), Number("--epochs", "default 1"), Number("--lr-max", "default 1e-3"),
             Number("--pct-start", "default 0.25")], m.FitOneCycle);
        m.Add<ShowResultsCommand>("#!show_results", "Targets next to predictions on validation items (fastai's show_results)",
            [m.Variable<Learner>("--learn", "C# variable holding a Learner"), Number("--max-items", "default 9")], m.ShowResults);
        m.Add<ThresholdSweepCommand>("#!threshold_sweep", "accuracy_multi of the validation predictions over a range of thresholds",
            [m.Variable<Learner>("--learn", "C# variable holding a multi-label Learner"), Number("--start", "default 0.05"), Number("--end", "default 0.95"),
             Number("--steps", "default 29"), new("--name", "C# variable to receive the sweep (default sweep)")], m.ThresholdSweep);
        return m.names;
    }

    Task Device(DeviceCommand cmd, KernelInvocationContext context)
    {
        if (!string.IsNullOrWhiteSpace(cmd.Libtorch)) TorchRuntime.UseLibTorchFolder(cmd.Libtorch);
        context.DisplayAs(RuntimeReportHtml.Render(Vision.Models.Pretrained.RuntimeReport.Describe()), "text/html");
        return Task.CompletedTask;
    }

    Task ShowBatch(ShowBatchCommand cmd, KernelInvocationContext context)
    {
        var dls = KernelVariables.Get<DataLoaders>(kernel, cmd.Dls, "--dls", "#!show_batch");
        if (cmd.MaxItems < 1) throw new DirectiveException($"#!show_batch: --max-items must be at least 1, got {cmd.MaxItems}.");
        context.Display(dls.ShowBatch(cmd.MaxItems, cmd.Valid), "text/html");
        return Task.CompletedTask;
    }

    async Task LrFind(LrFindCommand cmd, KernelInvocationContext context)
    {
        var learn = KernelVariables.Get<Learner>(kernel, cmd.Learn, "--learn", "#!lr_find");
        if (!(cmd.StartLr > 0 && cmd.EndLr > cmd.StartLr)) throw new DirectiveException($"#!lr_find: need 0 < --start-lr < --end-lr, got {cmd.StartLr} and {cmd.EndLr}.");
        if (cmd.NumIt < 10) throw new DirectiveException($"#!lr_find: --num-it must be at least 10, got {cmd.NumIt}.");
        var result = learn.LrFind(cmd.StartLr, cmd.EndLr, cmd.NumIt, cancellation: context.CancellationToken);
        context.Display(result, "text/html");
        context.DisplayAs($"Suggested learning rates: {result}. The result is in the C# variable '{cmd.Name}'.", "text/plain");
        await KernelVariables.Set(kernel, cmd.Name, result);
    }

    Task FineTune(FineTuneCommand cmd, KernelInvocationContext context)
    {
        var learn = KernelVariables.Get<Learner>(kernel, cmd.Learn, "--learn", "#!fine_tune");
        if (cmd.Epochs < 0 || cmd.FreezeEpochs < 0 || cmd.Epochs + cmd.FreezeEpochs == 0) throw new DirectiveException("#!fine_tune: --epochs and --freeze-epochs must not be negative, and not both 0.");
        if (!(cmd.BaseLr > 0)) throw new DirectiveException($"#!fine_tune: --base-lr must be positive, got {cmd.BaseLr}.");
        using var progress = new TrainingProgress(context, learn, "fine_tune");
        progress.Run(() => learn.FineTune(cmd.Epochs, cmd.BaseLr, cmd.FreezeEpochs, cmd.LrMult, cmd.PctStart, cmd.Div, context.CancellationToken, cmd.FrozenPctStart));
        return Task.CompletedTask;
    }

    Task FitOneCycle(FitOneCycleCommand cmd, KernelInvocationContext context)
    {
        var learn = KernelVariables.Get<Learner>(kernel, cmd.Learn, "--learn", "#!fit_one_cycle");
        if (cmd.Epochs < 1 || !(cmd.LrMax > 0)) throw new DirectiveException("#!fit_one_cycle: --epochs must be at least 1 and --lr-max positive.");
        using var progress = new TrainingProgress(context, learn, "fit_one_cycle");
        progress.Run(() => learn.FitOneCycle(cmd.Epochs, cmd.LrMax, pctStart: cmd.PctStart, cancellation: context.CancellationToken));
        return Task.CompletedTask;
    }

    Task ShowResults(ShowResultsCommand cmd, KernelInvocationContext context)
    {
        var learn = KernelVariables.Get<Learner>(kernel, cmd.Learn, "--learn", "#!show_results");
        if (cmd.MaxItems < 1) throw new DirectiveException($"#!show_results: --max-items must be at least 1, got {cmd.MaxItems}.");
        context.Display(learn.ShowResults(cmd.MaxItems), "text/html");
        return Task.CompletedTask;
    }

    async Task ThresholdSweep(ThresholdSweepCommand cmd, KernelInvocationContext context)
    {
        var learn = KernelVariables.Get<Learner>(kernel, cmd.Learn, "--learn", "#!threshold_sweep");
        if (learn.Dls.Target is not MultiCategoryBlock) throw new DirectiveException($"#!threshold_sweep needs a multi-label learner; '{cmd.Learn}' predicts {learn.Dls.Kind}.");
        if (cmd.Steps < 2 || !(cmd.Start < cmd.End) || cmd.Start < 0 || cmd.End > 1) throw new DirectiveException("#!threshold_sweep: need 0 ≤ --start < --end ≤ 1 and --steps ≥ 2.");
        var preds = learn.GetPreds(cancellation: context.CancellationToken);
        var sweep = Vision.Metrics.ThresholdSweep.Run(preds.Activations, preds.Targets, Vision.Metrics.ThresholdSweep.Linspace(cmd.Start, cmd.End, cmd.Steps));
        context.Display(sweep, "text/html");
        await KernelVariables.Set(kernel, cmd.Name, sweep);
    }

    /// <summary>Adds one command; a bad use of it (a user's mistake, bad data, an interrupt) fails the cell with the
    /// exception's message instead of a stack trace.</summary>
    void Add<T>(string name, string description, KernelDirectiveParameter[] parameters, Func<T, KernelInvocationContext, Task> handler)
        where T : KernelDirectiveCommand
    {
        var directive = new KernelActionDirective(name) { Description = description };
        foreach (var p in parameters) directive.Parameters.Add(p);
        kernel.AddDirective<T>(directive, async (command, context) =>
        {
            try
            {
                await handler(command, context);
            }
            catch (Exception e) when (e is DirectiveException or InvalidDataException or IOException or TrainingDivergedException
                                          or InvalidOperationException or ArgumentException or OperationCanceledException or DllNotFoundException)
            {
                context.Fail(command, message: e.Message);
            }
        });
        names.Add(name);
    }

    // The variable may be given without its option name (#!fine_tune learn), as dotnet/interactive's own extensions
    // allow, and completes to the C# variables that hold a T.
    KernelDirectiveParameter Variable<T>(string name, string description) =>
        new KernelDirectiveParameter(name, description) { Required = true, AllowImplicitName = true }
            .AddCompletions(() => KernelVariables.NamesOf<T>(kernel));

    static KernelDirectiveParameter Number(string name, string description) => new(name, description) { TypeHint = "number" };
}
