using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Schedules;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

/// <summary>
/// The one batch loop, as fastai's <c>_with_events</c> loop: fit, validate and get_preds all run
/// <see cref="AllBatches"/> → <see cref="OneBatch"/>, which trains when <see cref="Training"/> is set and otherwise only
/// predicts, scores and hands the batch to the callbacks (get_preds is validation plus <see cref="GatherPredsCallback"/>).
/// Every stage has before / after / after-cancel events; a callback cancels a stage by throwing its cancel exception.
/// </summary>
public sealed partial class Learner
{
    // Validation totals of the running validation pass (loss weighted by batch size; metrics accumulate themselves).
    double validLossSum;
    long validItems;
    bool scoreMetrics;

    /// <summary>Trains for <paramref name="epochs"/> at constant learning rates, or as scheduled by a callback; the
    /// <paramref name="callbacks"/> take part in this fit only (fastai's <c>fit(n, lr, cbs=…)</c>).</summary>
    public void Fit(int epochs, LearningRates? lr = null, IEnumerable<Callback>? callbacks = null, CancellationToken cancellation = default)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        using var exclusive = Exclusive();
        if (Dls.Train.Count == 0) throw new InvalidOperationException("The training loader has no batch: it has fewer items than one batch.");
        if (lr is { } rates) SetLearningRates(rates.For(Groups.Count));
        cancellation = Interruption.Resolve(cancellation);
        using var added = WithCallbacks(callbacks);
        var ordered = Ordered();
        BatchesPerEpoch = Dls.Train.Count;
        TotalIterations = epochs * BatchesPerEpoch;
        Iteration = 0;
        try
        {
            Each(ordered, c => c.BeforeFit());
            for (Epoch = 0; Epoch < epochs; Epoch++)
                WithEvents<CancelEpochException>(ordered, c => c.BeforeEpoch(), () =>
                {
                    TrainEpoch(ordered, cancellation);
                    ValidateEpoch(ordered, cancellation, metrics: true);
                }, c => c.AfterCancelEpoch(), c => c.AfterEpoch());
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
        }
    }

    /// <summary>Validation loss (mean over items) and every metric, as fastai's <c>validate()</c>: the validation events
    /// run for the learner's callbacks; the model is left in eval mode.</summary>
    public ValidationResult Validate(CancellationToken cancellation = default)
    {
        cancellation = Interruption.Resolve(cancellation);
        using var exclusive = Exclusive();
        ValidateEpoch(Ordered(), cancellation, metrics: true);
        return new ValidationResult(LastValidLoss, Metrics.Select(m => (m.Name, m.Value)).ToList());
    }

    /// <summary>Runs <paramref name="batches"/> (the validation loader when null) through the validation loop with
    /// <paramref name="callbacks"/> added and without metrics: get_preds and show_results read what they need from
    /// the batches. The loop disposes every batch.</summary>
    internal void RunValidation(IEnumerable<Callback> callbacks, CancellationToken cancellation, string stage, IReadOnlyList<Batch>? batches = null)
    {
        cancellation = Interruption.Resolve(cancellation);
        using var exclusive = Exclusive();
        using var added = WithCallbacks(callbacks);
        ValidateEpoch(Ordered(), cancellation, metrics: false, stage, batches);
    }

    /// <summary>One training step of the loop (<see cref="OneBatch"/> with the learner's batch events) on a batch made
    /// elsewhere, outside a fit: what the step benchmarks time. The batch stays the caller's.</summary>
    internal void TrainOn(Batch batch)
    {
        using var exclusive = Exclusive();
        using var grad = enable_grad();
        Model.train();
        Training = true;
        try
        {
            var inScope = InScope(Ordered());
            CurrentBatch = batch;
            WithEvents<CancelBatchException>(inScope, c => c.BeforeBatch(), () => OneBatch(inScope, batch), c => c.AfterCancelBatch(), c => c.AfterBatch());
        }
        finally
        {
            (Training, CurrentBatch, Output, LossGrad) = (false, null, null, null);
        }
    }

    void TrainEpoch(List<Callback> ordered, CancellationToken cancellation)
    {
        // A no_grad() left open by the caller (easy in a notebook cell) must not silently stop training.
        using var grad = enable_grad();
        Model.train();
        Training = true;
        try
        {
            WithEvents<CancelTrainException>(ordered, c => c.BeforeTrain(), () => AllBatches(Dls.Train, Dls.Train.Count, ordered, cancellation, "training"),
                c => c.AfterCancelTrain(), c => c.AfterTrain());
        }
        finally
        {
            Training = false;
        }
    }

    void ValidateEpoch(List<Callback> ordered, CancellationToken cancellation, bool metrics, string stage = "validation", IReadOnlyList<Batch>? batches = null)
    {
        using var grad = no_grad();
        Model.eval();
        Training = false;
        scoreMetrics = metrics;
        WithEvents<CancelValidException>(ordered, c => c.BeforeValidate(), () =>
        {
            (validLossSum, validItems) = (0, 0);
            if (metrics) foreach (var m in Metrics) m.Reset();
            if (batches is null) AllBatches(Dls.Valid, Dls.Valid.Count, ordered, cancellation, stage);
            else AllBatches(batches, batches.Count, ordered, cancellation, stage);
            if (metrics) LastValidLoss = validItems == 0 ? double.NaN : validLossSum / validItems;
        }, c => c.AfterCancelValidate(), c => c.AfterValidate());
        CurrentBatch = null;
    }

    void AllBatches(IEnumerable<Batch> loader, int batches, List<Callback> ordered, CancellationToken cancellation, string stage)
    {
        BatchIndex = 0;
        var inScope = InScope(ordered);
        try
        {
            foreach (var batch in loader)
            {
                if (cancellation.IsCancellationRequested)
                {
                    batch.Dispose();
                    throw new TrainingInterruptedException(stage, Epoch, BatchIndex, batches, cancellation);
                }
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    CurrentBatch = batch;
                    WithEvents<CancelBatchException>(inScope, c => c.BeforeBatch(), () => OneBatch(inScope, batch),
                        c => c.AfterCancelBatch(), c => c.AfterBatch());
                }
                (Output, LossGrad) = (null, null);
                if (Training) Iteration++;
                BatchIndex++;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            var named = stage == "get_preds" ? stage : char.ToUpperInvariant(stage[0]) + stage[1..];
            throw new InvalidDataException($"{named} stopped at epoch {Epoch}, batch {BatchIndex}: {e.Message} The learner keeps the weights of the last completed step.", e);
        }
    }

    /// <summary>One batch: predict, score; and when training, backward and step. An out-of-memory error leaves the
    /// gradients empty and names the batch size.</summary>
    void OneBatch(List<Callback> ordered, Batch batch)
    {
        try
        {
            Output = Forward(batch.X);
            Each(ordered, c => c.AfterPred());
            var loss = Loss.Compute(Output, batch.Y);
            double value = loss.item<float>();
            LastLoss = value;
            if (!Training)
            {
                validLossSum += value * batch.Count;
                validItems += batch.Count;
                if (scoreMetrics) foreach (var m in Metrics) m.Accumulate(Output, batch.Y, batch);
                Each(ordered, c => c.AfterLoss());
                return;
            }
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(
                    $"The loss became {value} at epoch {Epoch}, batch {BatchIndex} (learning rate {Groups[^1].LearningRate:G3}). Training stopped; " +
                    "the parameters are those after the last finite step (BatchNorm statistics include this batch). Use a lower learning rate (lr_find helps), or check the targets.");
            LossGrad = loss;
            Each(ordered, c => c.AfterLoss());
            // fastai's _do_grad_opt: backward and step each with their events; a cancelled step still zeroes the gradients.
            WithEvents<CancelBackwardException>(ordered, c => c.BeforeBackward(), () => LossGrad!.backward(),
                c => c.AfterCancelBackward(), c => c.AfterBackward());
            WithEvents<CancelStepException>(ordered, c => c.BeforeStep(), Optimizer.Step, c => c.AfterCancelStep(), c => c.AfterStep());
            Optimizer.ZeroGrad();
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            // Whatever the failed batch left in the gradients must not reach the next step.
            optimizer?.ZeroGrad();
            throw new InvalidOperationException($"The device ran out of memory at epoch {Epoch}, batch {BatchIndex}, with batch size {Dls.Options.BatchSize} " +
                $"({batch.X.device}). Use a smaller batchSize or image size; the learner keeps the weights of the last completed step and can train again.", e);
        }
    }

    /// <summary>fastai's <c>_with_events</c>: before, the body, after-cancel when the body (or a before hook) throws
    /// <typeparamref name="TCancel"/>, then after.</summary>
    static void WithEvents<TCancel>(List<Callback> ordered, Action<Callback> before, Action body, Action<Callback> afterCancel, Action<Callback> after)
        where TCancel : Exception
    {
        try
        {
            Each(ordered, before);
            body();
        }
        catch (TCancel)
        {
            Each(ordered, afterCancel);
        }
        Each(ordered, after);
    }

    List<Callback> Ordered() => callbacks.OrderBy(c => c.Order).ToList();

    /// <summary>The callbacks whose batch events run in this pass (fastai's <c>run_train</c> / <c>run_valid</c>).</summary>
    List<Callback> InScope(List<Callback> ordered) => ordered.Where(c => Training ? c.RunTrain : c.RunValid).ToList();

    /// <summary>Adds <paramref name="extra"/> until the result is disposed.</summary>
    IDisposable WithCallbacks(IEnumerable<Callback>? extra)
    {
        var added = extra?.ToList() ?? [];
        foreach (var cb in added) Add(cb);
        return new Removal(this, added);
    }

    sealed class Removal(Learner learn, List<Callback> added) : IDisposable
    {
        public void Dispose()
        {
            foreach (var cb in added) learn.Remove(cb);
        }
    }

    static void Each(List<Callback> ordered, Action<Callback> hook)
    {
        foreach (var cb in ordered) hook(cb);
    }

    static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) && e is not OutOfMemoryException;
}
