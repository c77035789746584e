namespace MultiLabel.Vision.Training;

/// <summary>One row of the epoch table: epoch | train_loss | valid_loss | metrics… | time.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics, TimeSpan Time, string? Phase = null);

/// <summary>One training batch: its global iteration, smoothed loss, raw loss, and the last group's learning rate and momentum.</summary>
public sealed record BatchRecord(int Iteration, int Epoch, int BatchIndex, int BatchesPerEpoch, double SmoothLoss, double Loss, double LearningRate, double Momentum);
