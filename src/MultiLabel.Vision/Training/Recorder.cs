namespace MultiLabel.Vision.Training;

/// <summary>
/// What training did, as data and as events: smoothed training loss per batch (0.98 moving average, debiased),
/// learning rate and momentum per batch, validation loss and metrics per epoch, wall time per epoch. The notebook
/// layer draws progress and live charts from <see cref="BatchRecorded"/> and <see cref="EpochRecorded"/>.
/// </summary>
public sealed class Recorder : Callback
{
    const double Beta = 0.98;
    double average;
    int count;
    double trainLossSum;
    int trainLossCount;
    System.Diagnostics.Stopwatch epochClock = new();

    /// <inheritdoc/>
    public override int Order => 50;
    /// <summary>Records training batches (validation is recorded per epoch, in <see cref="AfterEpoch"/>).</summary>
    public override bool RunValid => false;

    readonly List<BatchRecord> batches = [];
    readonly List<EpochRecord> epochs = [];

    /// <summary>Every training batch recorded so far, over all fits (fastai's <c>recorder.losses</c>, <c>lrs</c>, …).</summary>
    public IReadOnlyList<BatchRecord> Batches => batches;
    /// <summary>Every epoch recorded so far, over all fits (the rows of fastai's epoch tables).</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>Forgets what was recorded after the first <paramref name="batchCount"/> batches and
    /// <paramref name="epochCount"/> epochs (lr_find leaves the recorder as it found it).</summary>
    internal void TruncateTo(int batchCount, int epochCount)
    {
        batches.RemoveRange(batchCount, batches.Count - batchCount);
        epochs.RemoveRange(epochCount, epochs.Count - epochCount);
    }
    /// <summary>The metric names, in the order of each epoch's values.</summary>
    public IReadOnlyList<string> MetricNames => Learner.Metrics.Select(m => m.Name).ToList();

    /// <summary>Raised after every training batch.</summary>
    public event Action<BatchRecord>? BatchRecorded;
    /// <summary>Raised after every epoch's validation.</summary>
    public event Action<EpochRecord>? EpochRecorded;

    /// <summary>fastai's smoothed training loss (exponential average with β 0.98, debiased).</summary>
    public double SmoothLoss => count == 0 ? double.NaN : average / (1 - Math.Pow(Beta, count));

    /// <inheritdoc/>
    public override void BeforeFit()
    {
        (average, count) = (0, 0);
    }

    /// <inheritdoc/>
    public override void BeforeEpoch()
    {
        (trainLossSum, trainLossCount) = (0, 0);
        epochClock = System.Diagnostics.Stopwatch.StartNew();
    }

    /// <inheritdoc/>
    public override void AfterBatch()
    {
        if (Learner.LastLoss is not { } loss) return;
        average = Beta * average + (1 - Beta) * loss;
        count++;
        trainLossSum += loss;
        trainLossCount++;
        var group = Learner.Optimizer.Groups[^1];
        var record = new BatchRecord(Learner.Iteration, Learner.Epoch, Learner.BatchIndex, Learner.BatchesPerEpoch, SmoothLoss, loss, group.LearningRate, group.Momentum);
        batches.Add(record);
        BatchRecorded?.Invoke(record);
    }

    /// <inheritdoc/>
    public override void AfterEpoch()
    {
        var record = new EpochRecord(Learner.Epoch, SmoothLoss, Learner.LastValidLoss,
            Learner.Metrics.ToDictionary(m => m.Name, m => m.Value), epochClock.Elapsed, Learner.Phase);
        epochs.Add(record);
        EpochRecorded?.Invoke(record);
    }

    /// <summary>The epoch table (<see cref="Training.EpochTable"/>) of every epoch recorded.</summary>
    public EpochTable EpochTable() => Training.EpochTable.Of(Epochs, MetricNames);

    /// <summary>The epoch table as text, as fastai prints it.</summary>
    public string Table() => EpochTable().ToString();
}
