namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's <c>BnFreeze</c>: before each training epoch, puts every BatchNorm layer whose parameters are frozen into eval
/// mode, so it normalises with its running statistics and leaves them as they are. Use it with
/// <see cref="Learner.TrainBn"/> = false (fastai's <c>train_bn=False</c>): while the body is frozen, its BatchNorm layers
/// then stay exactly as pretrained. With small batches this matters: statistics of a few images differ from batch to
/// batch and from the running ones that validation uses, and the head would chase them.
/// </summary>
public sealed class BnFreeze : Callback
{
    /// <inheritdoc/>
    public override void BeforeTrain()
    {
        foreach (var (_, module) in Learner.Model.named_modules())
            if (ParameterGroups.IsBatchNorm(module) && module.parameters(recurse: false).FirstOrDefault() is { requires_grad: false })
                module.eval();
    }
}
