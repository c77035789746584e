using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's Learner: a model, its data, a loss, metrics and fastai's Adam over parameter groups, with the training loop
/// (fit / one batch / validate) and callbacks. Recipes (<see cref="OneCycle"/>, <see cref="FineTuning"/>,
/// <see cref="LrFinder"/>) build on its public surface. Every batch runs in its own dispose scope.
/// </summary>
public sealed partial class Learner : IDisposable
{
    readonly List<Callback> callbacks = [];
    // One loop at a time: an interrupted cell's loop finishes its batch while the next cell may already call in.
    readonly object loopGate = new();
    readonly Func<nn.Module, IReadOnlyList<ParameterGroup>> splitter;
    IOptimizer? optimizer;

    /// <summary>A learner for any model (fastai's <c>Learner(dls, model, loss_func, metrics)</c>); see
    /// <see cref="VisionLearner.Create(DataLoaders, string, bool, IEnumerable{IMetric}?, ValueTuple{double, double}?, ILoss?, string?, int?, double, bool, IEnumerable{Callback}?, Models.Pretrained.WeightsFile?, Func{IReadOnlyList{ParameterGroup}, IOptimizer}?)"/>
    /// for a pretrained ResNet with fastai's head.</summary>
    /// <param name="dls">The training and validation data; the model is moved to their device.</param>
    /// <param name="model">The model: images [B, 3, H, W] to raw outputs.</param>
    /// <param name="loss">Defaults to the target block's loss (BCE, cross-entropy or MSE).</param>
    /// <param name="metrics">Validation metrics shown in the epoch table.</param>
    /// <param name="splitter">Splits the model's parameters into groups (default one group).</param>
    /// <param name="weightDecay">fastai's decoupled weight decay.</param>
    /// <param name="info">What the model is (architecture, outputs, weights), written into exports.</param>
    /// <param name="optFunc">fastai's <c>opt_func</c>: makes the optimizer from the parameter groups, which carry the
    /// learning rates (default <see cref="Adam"/>); <see cref="WeightDecay"/> is set on it afterwards, as fastai sets
    /// <c>wd</c> on the optimizer it made.</param>
    public Learner(DataLoaders dls, nn.Module<Tensor, Tensor> model, ILoss? loss = null, IEnumerable<IMetric>? metrics = null,
        Func<nn.Module, IReadOnlyList<ParameterGroup>>? splitter = null, double weightDecay = 0.01, ModelInfo? info = null,
        Func<IReadOnlyList<ParameterGroup>, IOptimizer>? optFunc = null)
    {
        OptFunc = optFunc ?? DefaultOptFunc;
        Dls = dls;
        Model = model;
        // Moving a module to another device replaces its Parameter objects: group them afterwards.
        Model.to(dls.Device);
        Loss = loss ?? dls.Target.DefaultLoss();
        this.metrics = metrics?.ToList() ?? [];
        this.splitter = splitter ?? ParameterGroups.Single;
        Groups = this.splitter(model);
        WeightDecay = weightDecay;
        Info = info;
        Recorder = new Recorder();
        Add(Recorder);
        foreach (var factory in LearnerDefaults.CallbackFactories)
            if (factory(this) is { } callback) Add(callback);
    }

    /// <summary>The data (fastai's <c>learn.dls</c>): training and validation loaders, target block, device.</summary>
    public DataLoaders Dls { get; }
    /// <summary>The model (fastai's <c>learn.model</c>), on the loaders' device.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }
    /// <summary>The loss (fastai's <c>learn.loss_func</c>); its activation is what predictions decode from.</summary>
    public ILoss Loss { get; }
    /// <summary>The metrics computed at each validation; replace them between fits as fastai's <c>learn.metrics = …</c>.</summary>
    public IReadOnlyList<IMetric> Metrics
    {
        get => metrics;
        set
        {
            using var exclusive = Exclusive(); // not while a loop of another cell is still finishing its batch
            metrics = value?.ToList() ?? throw new ArgumentNullException(nameof(value));
        }
    }
    IReadOnlyList<IMetric> metrics;
    /// <summary>The parameter groups (made again when <see cref="ToBf16"/> / <see cref="ToFp32"/> convert the model).</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; private set; }
    /// <summary>fastai's decoupled weight decay (default 0.01), for optimizers made from now on.</summary>
    public double WeightDecay { get; set; }
    /// <summary>What training did: losses, learning rates, epochs (fastai's <c>learn.recorder</c>).</summary>
    public Recorder Recorder { get; }
    /// <summary>How the model was built (architecture, outputs), for export; null for a hand-made model.</summary>
    public ModelInfo? Info { get; }

    /// <summary>The optimizer over <see cref="Groups"/> (fastai's <c>learn.opt</c>), made by <see cref="OptFunc"/> on first
    /// use and again after freeze/unfreeze and precision changes.</summary>
    public IOptimizer Optimizer => optimizer ??= NewOptimizer();

    /// <summary>fastai's <c>opt_func</c>: what makes <see cref="Optimizer"/> (default fastai's <see cref="Adam"/>).</summary>
    public Func<IReadOnlyList<ParameterGroup>, IOptimizer> OptFunc { get; }

    static readonly Func<IReadOnlyList<ParameterGroup>, IOptimizer> DefaultOptFunc = groups => new Adam(groups);

    IOptimizer NewOptimizer()
    {
        var made = OptFunc(Groups);
        made.WeightDecay = WeightDecay;
        return made;
    }

    /// <summary>How the summary names the optimizer.</summary>
    string OptimizerDescription => ReferenceEquals(OptFunc, DefaultOptFunc) ? "fastai's Adam (flat buffers)"
        : $"{optimizer?.GetType().Name ?? "an optimizer"} (optFunc)";

    // Loop state, readable by callbacks.
    /// <summary>The epoch of the running fit, from 0.</summary>
    public int Epoch { get; private set; }
    /// <summary>Training batches done in the running fit.</summary>
    public int Iteration { get; private set; }
    /// <summary>The batch's index within the running training or validation pass.</summary>
    public int BatchIndex { get; private set; }
    /// <summary>Training batches per epoch in the running fit.</summary>
    public int BatchesPerEpoch { get; private set; }
    /// <summary>Training batches in the whole running fit (schedules divide by it).</summary>
    public int TotalIterations { get; private set; }
    /// <summary>Whether the batch in the loop is a training batch (false during validation).</summary>
    public bool Training { get; private set; }
    /// <summary>The batch in the loop (fastai's <c>learn.xb</c>, <c>learn.yb</c>), or null between batches.</summary>
    public Batch? CurrentBatch { get; private set; }
    /// <summary>The model's output for the batch in the loop (fastai's <c>learn.pred</c>), set after the forward pass.</summary>
    public Tensor? Output { get; private set; }
    /// <summary>The loss tensor the backward pass starts from (fastai's <c>learn.loss_grad</c>): set after the loss of a
    /// training batch; a callback's <see cref="Callback.BeforeBackward"/> may replace it (float16's loss scaling does).</summary>
    public Tensor? LossGrad { get; set; }
    /// <summary>The loss of the last batch, training or validation (fastai's <c>learn.loss</c>).</summary>
    public double? LastLoss { get; private set; }
    /// <summary>The validation loss of the last full validation (NaN before one).</summary>
    public double LastValidLoss { get; private set; } = double.NaN;
    /// <summary>Whether only the head (and BatchNorm) trains, after <see cref="Freeze"/>.</summary>
    public bool IsFrozen { get; private set; }
    /// <summary>The named phase that epochs are recorded under (fine_tune's "frozen" and "unfrozen"); null for a plain fit.</summary>
    public string? Phase { get; internal set; }

    /// <summary>Adds a callback for every fit from now on (fastai's <c>learn.add_cb</c>); returns the learner.</summary>
    public Learner Add(Callback callback)
    {
        callback.Learner = this;
        callbacks.Add(callback);
        callback.Added();
        return this;
    }

    /// <summary>Removes a callback added with <see cref="Add"/>.</summary>
    public void Remove(Callback callback)
    {
        if (callbacks.Remove(callback)) callback.Removed();
    }

    /// <summary>The callbacks in use (fastai's <c>learn.cbs</c>), including those added for the running fit.</summary>
    public IReadOnlyList<Callback> Callbacks => callbacks;

    /// <summary>Sets each parameter group's learning rate (one rate per group).</summary>
    public void SetLearningRates(IReadOnlyList<double> rates)
    {
        if (rates.Count != Groups.Count) throw new ArgumentException($"{rates.Count} learning rates for {Groups.Count} parameter groups.");
        for (int i = 0; i < Groups.Count; i++) Groups[i].LearningRate = rates[i];
    }

    /// <summary>Trains only the last group (the head), keeping BatchNorm parameters trainable everywhere; resets the optimizer.</summary>
    public void Freeze() => FreezeTo(Groups.Count - 1);

    /// <summary>Trains every group; resets the optimizer.</summary>
    public void Unfreeze() => FreezeTo(0);

    /// <summary>fastai's <c>train_bn</c>: whether BatchNorm parameters in frozen groups still train (default true). Applies
    /// from the next <see cref="Freeze"/> / <see cref="FreezeTo"/>; see <see cref="BnFreeze"/> for their statistics.</summary>
    public bool TrainBn { get; set; } = true;

    /// <summary>Trains groups from <paramref name="n"/> on; earlier groups keep only their BatchNorm parameters trainable
    /// (none when <see cref="TrainBn"/> is false).</summary>
    public void FreezeTo(int n)
    {
        for (int g = 0; g < Groups.Count; g++)
            foreach (var p in Groups[g].Parameters)
            {
                p.Parameter.requires_grad = g >= n || (TrainBn && p.IsBatchNorm);
                if (!p.Parameter.requires_grad) p.Parameter.grad = null;
            }
        IsFrozen = n > 0;
        optimizer?.Dispose();
        optimizer = null;
    }

    /// <summary>Names of the trainable parameters (for checking freeze/unfreeze).</summary>
    public IReadOnlyList<string> TrainableParameters() =>
        Groups.SelectMany(g => g.Parameters).Where(p => p.Parameter.requires_grad).Select(p => p.Name).ToList();

    /// <summary>Holds the learner's loop until disposed, on this thread (re-entrant: fit → validate, lr_find → fit).</summary>
    internal IDisposable Exclusive()
    {
        Monitor.Enter(loopGate);
        return new Release(loopGate);
    }

    sealed class Release(object gate) : IDisposable
    {
        public void Dispose() => Monitor.Exit(gate);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Learner: {Info?.Arch ?? Model.GetName()} → {Dls.OutputCount} outputs, loss {Loss.Name}, metrics [{string.Join(", ", Metrics.Select(m => m.Name))}], " +
        $"{Groups.Count} groups, {(IsFrozen ? "frozen" : "unfrozen")}, {PrecisionDescription}, on {Dls.Device.type}" +
        (Info?.Weights is { } weights ? $"; weights: {weights}" : "");

    /// <summary>"float32", or "bfloat16 with float32 master weights, channels-last".</summary>
    public string PrecisionDescription => MixedPrecision?.ToString() ?? "float32";

    /// <summary>Releases the model, the optimizer and the float32 master weights.</summary>
    public void Dispose()
    {
        optimizer?.Dispose();
        MixedPrecision?.ReleaseMasters();
        Model.Dispose();
    }
}
