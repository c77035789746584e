namespace MultiLabel.Vision.Training;

/// <summary>
/// A training-loop plug-in with fastai's events, called in loop order; every hook is a no-op by default. Callbacks run
/// sorted by <see cref="Order"/> (lower first). Hooks may throw the cancel exceptions below to skip part of the loop.
/// Validation (inside a fit, <see cref="Learner.Validate"/> and <see cref="Learner.GetPreds"/>) runs the batch events
/// too, with <see cref="Learner.Training"/> false. As in fastai, a callback declares where its batch events run
/// (<see cref="RunTrain"/>, <see cref="RunValid"/>) instead of checking in each hook.
/// </summary>
public abstract class Callback
{
    /// <summary>Where the callback runs among the others: lower first (the recorder is 50, schedulers 60).</summary>
    public virtual int Order => 0;
    /// <summary>fastai's <c>run_train</c>: whether the batch events (before_batch to after_batch, cancel included) run
    /// for training batches. The other events always run.</summary>
    public virtual bool RunTrain => true;
    /// <summary>fastai's <c>run_valid</c>: whether the batch events run for validation batches (also get_preds').</summary>
    public virtual bool RunValid => true;
    /// <summary>The learner the callback was added to; its loop state (<see cref="Learner.Epoch"/>, <see cref="Learner.Training"/>, …) is readable in every hook.</summary>
    public Learner Learner { get; internal set; } = null!;

    /// <summary>When the callback joins a learner (<see cref="Learner.Add"/>, or a fit's own callbacks): for callbacks
    /// that change the learner itself (mixed precision converts the model).</summary>
    internal virtual void Added() { }
    /// <summary>When it leaves the learner: undoes what <see cref="Added"/> did.</summary>
    internal virtual void Removed() { }

    /// <summary>Once, before the first epoch of a fit.</summary>
    public virtual void BeforeFit() { }
    /// <summary>Before each epoch (its training, then its validation).</summary>
    public virtual void BeforeEpoch() { }
    /// <summary>Before the training batches of an epoch (the model is in training mode).</summary>
    public virtual void BeforeTrain() { }
    /// <summary>Before each batch, training or validation (<see cref="Learner.CurrentBatch"/> is set).</summary>
    public virtual void BeforeBatch() { }
    /// <summary>After the forward pass (<see cref="Learner.Output"/> is set).</summary>
    public virtual void AfterPred() { }
    /// <summary>After the loss is computed (<see cref="Learner.LastLoss"/> is set).</summary>
    public virtual void AfterLoss() { }
    /// <summary>Before the backward pass (training batches only).</summary>
    public virtual void BeforeBackward() { }
    /// <summary>After the backward pass (training batches only), also after a cancelled one.</summary>
    public virtual void AfterBackward() { }
    /// <summary>Before the optimizer step (training batches only); throw <see cref="CancelStepException"/> to skip it.</summary>
    public virtual void BeforeStep() { }
    /// <summary>After the optimizer step (training batches only), also after a cancelled one.</summary>
    public virtual void AfterStep() { }
    /// <summary>After each batch, training or validation, also after a cancelled one.</summary>
    public virtual void AfterBatch() { }
    /// <summary>After the training batches of an epoch.</summary>
    public virtual void AfterTrain() { }
    /// <summary>Before the validation batches (inside a fit, and in <see cref="Learner.Validate"/> and <see cref="Learner.GetPreds"/>).</summary>
    public virtual void BeforeValidate() { }
    /// <summary>After the validation batches.</summary>
    public virtual void AfterValidate() { }
    /// <summary>After each epoch, validation included (the recorder records the epoch here).</summary>
    public virtual void AfterEpoch() { }
    /// <summary>Called before <see cref="AfterBatch"/> when a hook threw <see cref="CancelBatchException"/>.</summary>
    public virtual void AfterCancelBatch() { }
    /// <summary>Called before <see cref="AfterBackward"/> when a hook threw <see cref="CancelBackwardException"/>.</summary>
    public virtual void AfterCancelBackward() { }
    /// <summary>Called before <see cref="AfterStep"/> when a hook threw <see cref="CancelStepException"/> (the gradients
    /// are still zeroed).</summary>
    public virtual void AfterCancelStep() { }
    /// <summary>Called before <see cref="AfterTrain"/> when a hook threw <see cref="CancelTrainException"/>.</summary>
    public virtual void AfterCancelTrain() { }
    /// <summary>Called before <see cref="AfterValidate"/> when a hook threw <see cref="CancelValidException"/>.</summary>
    public virtual void AfterCancelValidate() { }
    /// <summary>Called before <see cref="AfterEpoch"/> when a hook threw <see cref="CancelEpochException"/>.</summary>
    public virtual void AfterCancelEpoch() { }
    /// <summary>Called before <see cref="AfterFit"/> when a hook threw <see cref="CancelFitException"/>.</summary>
    public virtual void AfterCancelFit() { }
    /// <summary>Always called, also when training stops with an exception.</summary>
    public virtual void AfterFit() { }
}

/// <summary>Skips the rest of this batch (no backward/step).</summary>
public sealed class CancelBatchException : Exception { }
/// <summary>Skips the backward pass (and so leaves the gradients as they were).</summary>
public sealed class CancelBackwardException : Exception { }
/// <summary>Skips the optimizer step (float16 training skips a step whose gradients overflowed).</summary>
public sealed class CancelStepException : Exception { }
/// <summary>Skips the rest of this epoch's training batches.</summary>
public sealed class CancelTrainException : Exception { }
/// <summary>Skips this epoch's validation.</summary>
public sealed class CancelValidException : Exception { }
/// <summary>Skips the rest of this epoch.</summary>
public sealed class CancelEpochException : Exception { }
/// <summary>Stops training (the learning-rate finder's way to finish); AfterCancelFit then AfterFit run.</summary>
public sealed class CancelFitException : Exception { }

/// <summary>Training stopped because the loss stopped being a finite number.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
