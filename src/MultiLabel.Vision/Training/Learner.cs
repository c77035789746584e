using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Schedules;
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

    public Learner(DataLoaders dls, nn.Module<Tensor, Tensor> model, ILoss? loss = null, IEnumerable<IMetric>? metrics = null,
        Func<nn.Module, IReadOnlyList<ParameterGroup>>? splitter = null, double weightDecay = 0.01, ModelInfo? info = null)
    {
        Dls = dls;
        Model = model;
        // Moving a module to another device replaces its Parameter objects: group them afterwards.
        Model.to(dls.Device);
        Loss = loss ?? Losses.Loss.For(dls.Kind);
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

    public DataLoaders Dls { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
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
    public double WeightDecay { get; set; }
    public Recorder Recorder { get; }
    /// <summary>How the model was built (architecture, outputs), for export; null for a hand-made model.</summary>
    public ModelInfo? Info { get; }

    /// <summary>fastai's Adam over <see cref="Groups"/>; created on first use and again after freeze/unfreeze. By default the
    /// flat-buffer implementation (<see cref="FlatAdam"/>); <see cref="UseFlatOptimizer"/> = false gives the per-parameter one.</summary>
    public IOptimizer Optimizer => optimizer ??= UseFlatOptimizer
        ? new FlatAdam(Groups, weightDecay: WeightDecay)
        : new Adam(Groups, weightDecay: WeightDecay);

    /// <summary>Whether new optimizers keep parameters and gradients in flat buffers (fewer kernels per step).</summary>
    public bool UseFlatOptimizer { get; set; } = true;

    // Loop state, readable by callbacks.
    public int Epoch { get; private set; }
    public int Iteration { get; private set; }
    public int BatchIndex { get; private set; }
    public int BatchesPerEpoch { get; private set; }
    public int TotalIterations { get; private set; }
    public bool Training { get; private set; }
    public Batch? CurrentBatch { get; private set; }
    public Tensor? Output { get; private set; }
    public double? LastLoss { get; private set; }
    public double LastValidLoss { get; private set; } = double.NaN;
    public bool IsFrozen { get; private set; }
    /// <summary>The named phase that epochs are recorded under (fine_tune's "frozen" and "unfrozen"); null for a plain fit.</summary>
    public string? Phase { get; internal set; }

    public Learner Add(Callback callback)
    {
        callback.Learner = this;
        callbacks.Add(callback);
        return this;
    }

    public void Remove(Callback callback) => callbacks.Remove(callback);

    /// <summary>The callbacks in use (fastai's <c>learn.cbs</c>), including those added for the running fit.</summary>
    public IReadOnlyList<Callback> Callbacks => callbacks;

    /// <summary>Trains for <paramref name="epochs"/> at constant learning rates (or as scheduled by a callback).</summary>
    public void Fit(int epochs, LearningRates? lr = null, IEnumerable<Callback>? extra = null, CancellationToken cancellation = default)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        using var exclusive = Exclusive();
        if (Dls.Train.Count == 0) throw new InvalidOperationException("The training loader has no batch: it has fewer items than one batch.");
        if (lr is { } rates) SetLearningRates(rates.For(Groups.Count));
        cancellation = Interruption.Resolve(cancellation);
        var added = extra?.ToList() ?? [];
        foreach (var cb in added) Add(cb);
        var ordered = callbacks.OrderBy(c => c.Order).ToList();
        BatchesPerEpoch = Dls.Train.Count;
        TotalIterations = epochs * BatchesPerEpoch;
        Iteration = 0;
        try
        {
            Each(ordered, c => c.BeforeFit());
            for (Epoch = 0; Epoch < epochs; Epoch++)
            {
                try
                {
                    Each(ordered, c => c.BeforeEpoch());
                    TrainOneEpoch(ordered, cancellation);
                    ValidateEpoch(ordered, cancellation);
                }
                catch (CancelEpochException) { }
                Each(ordered, c => c.AfterEpoch());
            }
        }
        catch (CancelFitException)
        {
            Each(ordered, c => c.AfterCancelFit());
        }
        catch (OperationCanceledException e) when (cancellation.IsCancellationRequested && e is not TrainingInterruptedException)
        {
            throw new TrainingInterruptedException(Training ? "training" : "validation", Epoch, BatchIndex, Training ? BatchesPerEpoch : Dls.Valid.Count, cancellation);
        }
        finally
        {
            Training = false;
            CurrentBatch = null;
            Each(ordered, c => c.AfterFit());
            foreach (var cb in added) Remove(cb);
        }
    }

    void TrainOneEpoch(List<Callback> ordered, CancellationToken cancellation)
    {
        // A no_grad() left open by the caller (easy in a notebook cell) must not silently stop training.
        using var grad = enable_grad();
        Model.train();
        Training = true;
        try
        {
            Each(ordered, c => c.BeforeTrain());
            BatchIndex = 0;
            foreach (var batch in Dls.Train)
            {
                if (cancellation.IsCancellationRequested)
                {
                    batch.Dispose();
                    throw new TrainingInterruptedException("training", Epoch, BatchIndex, BatchesPerEpoch, cancellation);
                }
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    CurrentBatch = batch;
                    try { OneBatch(ordered, batch); }
                    catch (CancelBatchException) { }
                }
                Output = null;
                Iteration++;
                BatchIndex++;
            }
        }
        catch (CancelTrainException) { }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"Training stopped at epoch {Epoch}, batch {BatchIndex}: {e.Message} The learner keeps the weights of the last completed step.", e);
        }
        Each(ordered, c => c.AfterTrain());
        Training = false;
    }

    void OneBatch(List<Callback> ordered, Batch batch)
    {
        try
        {
            OneBatchSteps(ordered, batch);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            // Whatever the failed batch left in the gradients must not reach the next step.
            optimizer?.ZeroGrad();
            throw new InvalidOperationException($"The device ran out of memory at epoch {Epoch}, batch {BatchIndex}, with batch size {Dls.Options.BatchSize} " +
                $"({batch.X.device}). Use a smaller batchSize or image size; the learner keeps the weights of the last completed step and can train again.", e);
        }
    }

    void OneBatchSteps(List<Callback> ordered, Batch batch)
    {
        Each(ordered, c => c.BeforeBatch());
        var output = Forward(batch.X);
        Output = output;
        Each(ordered, c => c.AfterPred());
        var loss = Loss.Compute(output, batch.Y);
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new TrainingDivergedException(
                $"The loss became {value} at epoch {Epoch}, batch {BatchIndex} (learning rate {Groups[^1].LearningRate:G3}). Training stopped; " +
                "the parameters are those after the last finite step (BatchNorm statistics include this batch). Use a lower learning rate (lr_find helps), or check the targets.");
        LastLoss = value;
        Each(ordered, c => c.AfterLoss());
        Each(ordered, c => c.BeforeBackward());
        loss.backward();
        Each(ordered, c => c.BeforeStep());
        Optimizer.Step();
        Each(ordered, c => c.AfterStep());
        Optimizer.ZeroGrad();
        Each(ordered, c => c.AfterBatch());
    }

    void ValidateEpoch(List<Callback> ordered, CancellationToken cancellation)
    {
        try
        {
            Each(ordered, c => c.BeforeValidate());
            LastValidLoss = Validate(cancellation).Loss;
            Each(ordered, c => c.AfterValidate());
        }
        catch (CancelValidException) { }
    }

    /// <summary>Validation loss (mean over items) and every metric, as fastai's <c>validate()</c>; the model is left in
    /// eval mode.</summary>
    public ValidationResult Validate(CancellationToken cancellation = default)
    {
        cancellation = Interruption.Resolve(cancellation);
        using var exclusive = Exclusive();
        Model.eval();
        foreach (var m in Metrics) m.Reset();
        double total = 0;
        long count = 0;
        int index = 0, batches = Dls.Valid.Count;
        using var _ = no_grad();
        foreach (var batch in Dls.Valid)
        {
            if (cancellation.IsCancellationRequested)
            {
                batch.Dispose();
                throw new TrainingInterruptedException("validation", Epoch, index, batches, cancellation);
            }
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var output = Forward(batch.X);
                total += Loss.Compute(output, batch.Y).item<float>() * batch.Count;
                count += batch.Count;
                foreach (var m in Metrics) m.Accumulate(output, batch.Y, batch);
            }
            index++;
        }
        return new ValidationResult(count == 0 ? double.NaN : total / count, Metrics.Select(m => (m.Name, m.Value)).ToList());
    }

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

    static void Each(List<Callback> ordered, Action<Callback> hook)
    {
        foreach (var cb in ordered) hook(cb);
    }

    static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) && e is not OutOfMemoryException;

    public override string ToString() =>
        $"Learner: {Info?.Arch ?? Model.GetName()} → {Dls.OutputCount} outputs, loss {Loss.Name}, metrics [{string.Join(", ", Metrics.Select(m => m.Name))}], " +
        $"{Groups.Count} groups, {(IsFrozen ? "frozen" : "unfrozen")}, {PrecisionDescription}, on {Dls.Device.type}" +
        (Info?.Weights is { } weights ? $"; weights: {weights}" : "");

    /// <summary>"float32", or "bfloat16 with float32 master weights, channels-last".</summary>
    public string PrecisionDescription => IsMixedPrecision ? $"bfloat16 with float32 master weights{(ChannelsLast ? ", channels-last" : "")}" : "float32";

    public void Dispose()
    {
        optimizer?.Dispose();
        foreach (var m in masters?.Values ?? Enumerable.Empty<Tensor>()) m.Dispose();
        Model.Dispose();
    }
}
