namespace MultiLabel.Vision.Training;

/// <summary>
/// A cancellation that a host sets for the code it runs, so that a loop started without a token (<c>learn.FineTune(3)</c>
/// typed in a notebook cell) still stops at the next batch when the user interrupts. A notebook kernel sets it to the
/// running cell's token; an explicit token given to a method wins over it. It flows with the async context, so code
/// run for one cell never sees another cell's token.
/// </summary>
public static class Interruption
{
    static readonly AsyncLocal<CancellationToken> ambient = new();

    /// <summary>The token of the code running now (none when no host set one).</summary>
    public static CancellationToken Current => ambient.Value;

    /// <summary>Makes <paramref name="token"/> the ambient token until the result is disposed.</summary>
    public static IDisposable Use(CancellationToken token)
    {
        var previous = ambient.Value;
        ambient.Value = token;
        return new Restore(previous);
    }

    /// <summary><paramref name="given"/> when it can be cancelled, else the ambient token.</summary>
    public static CancellationToken Resolve(CancellationToken given) => given.CanBeCanceled ? given : ambient.Value;

    sealed class Restore(CancellationToken previous) : IDisposable
    {
        public void Dispose() => ambient.Value = previous;
    }
}

/// <summary>Training or prediction stopped on request, between two batches: the model holds the weights of the last
/// completed step (lr_find restores the weights it started with), and the learner can train again.</summary>
public sealed class TrainingInterruptedException(string stage, int epoch, int batch, int batches, CancellationToken token)
    : OperationCanceledException($"{stage} interrupted at epoch {epoch}, batch {batch} of {batches}; the model keeps the weights of the last completed step.", token)
{
    /// <summary>The loop's stage that was running: <c>training</c>, <c>validation</c>, or the pass that called the
    /// validation loop (<c>get_preds</c>, <c>show_results</c>). (fine_tune's frozen/unfrozen is <see cref="Learner.Phase"/>.)</summary>
    public string Stage { get; } = stage;
    /// <summary>The epoch that was interrupted, from 0.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>The batch at which it stopped (batches before it completed), from 0.</summary>
    public int Batch { get; } = batch;
    /// <summary>Batches in that epoch.</summary>
    public int Batches { get; } = batches;
}
