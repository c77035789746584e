namespace MultiLabel.Vision.Training;

/// <summary>
/// A training-loop plug-in with fastai's events, called in loop order; every hook is a no-op by default. Callbacks run
/// sorted by <see cref="Order"/> (lower first). Hooks may throw the cancel exceptions below to skip part of the loop.
/// Validation (inside a fit, <see cref="Learner.Validate"/> and <see cref="Learner.GetPreds"/>) runs the batch events
/// too, with <see cref="Learner.Training"/> false: a hook that should act on training batches only checks it.
/// </summary>
public abstract class Callback
{
    public virtual int Order => 0;
    public Learner Learner { get; internal set; } = null!;

    public virtual void BeforeFit() { }
    public virtual void BeforeEpoch() { }
    public virtual void BeforeTrain() { }
    public virtual void BeforeBatch() { }
    public virtual void AfterPred() { }
    public virtual void AfterLoss() { }
    public virtual void BeforeBackward() { }
    public virtual void BeforeStep() { }
    public virtual void AfterStep() { }
    public virtual void AfterBatch() { }
    public virtual void AfterTrain() { }
    public virtual void BeforeValidate() { }
    public virtual void AfterValidate() { }
    public virtual void AfterEpoch() { }
    /// <summary>Called before <see cref="AfterBatch"/> when a hook threw <see cref="CancelBatchException"/>.</summary>
    public virtual void AfterCancelBatch() { }
    /// <summary>Called before <see cref="AfterTrain"/> when a hook threw <see cref="CancelTrainException"/>.</summary>
    public virtual void AfterCancelTrain() { }
    /// <summary>Called before <see cref="AfterValidate"/> when a hook threw <see cref="CancelValidException"/>.</summary>
    public virtual void AfterCancelValidate() { }
    /// <summary>Called before <see cref="AfterEpoch"/> when a hook threw <see cref="CancelEpochException"/>.</summary>
    public virtual void AfterCancelEpoch() { }
    public virtual void AfterCancelFit() { }
    /// <summary>Always called, also when training stops with an exception.</summary>
    public virtual void AfterFit() { }
}

/// <summary>Skips the rest of this batch (no backward/step).</summary>
public sealed class CancelBatchException : Exception { }
/// <summary>Skips the rest of this epoch's training phase.</summary>
public sealed class CancelTrainException : Exception { }
/// <summary>Skips this epoch's validation.</summary>
public sealed class CancelValidException : Exception { }
/// <summary>Skips the rest of this epoch.</summary>
public sealed class CancelEpochException : Exception { }
/// <summary>Stops training (the learning-rate finder's way to finish); AfterCancelFit then AfterFit run.</summary>
public sealed class CancelFitException : Exception { }

/// <summary>Training stopped because the loss stopped being a finite number.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
