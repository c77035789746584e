using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace MultiLabel.Vision.Data.Loading;

/// <summary>Collates batches on a background thread (its items on the loader's workers), at most
/// <see cref="LoaderOptions.Prefetch"/> ahead; tensors are made on the consumer's thread. An error in a worker
/// surfaces from MoveNext with its message (e.g. the corrupt file's name).</summary>
sealed class PrefetchingEnumerator : IEnumerator<Batch>
{
    readonly DataLoader loader;
    readonly int epoch;
    readonly BlockingCollection<CollatedBatch> ready;
    readonly CancellationTokenSource stop = new();
    readonly Task producer;
    Exception? failure;

    public PrefetchingEnumerator(DataLoader loader, IReadOnlyList<int[]> batches, int epoch)
    {
        (this.loader, this.epoch) = (loader, epoch);
        ready = new BlockingCollection<CollatedBatch>(loader.Options.Prefetch);
        producer = Task.Factory.StartNew(() => Produce(batches), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    void Produce(IReadOnlyList<int[]> batches)
    {
        try
        {
            for (int i = 0; i < batches.Count; i++)
            {
                stop.Token.ThrowIfCancellationRequested();
                ready.Add(loader.Collate(i, batches[i], epoch), stop.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { failure = e; }
        finally { ready.CompleteAdding(); }
    }

    public Batch Current { get; private set; } = null!;
    object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        if (ready.TryTake(out var next, Timeout.Infinite))
        {
            Current = loader.ToTensors(next, epoch);
            return true;
        }
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return false;
    }

    public void Reset() => throw new NotSupportedException("Enumerate the loader again for a new epoch.");

    public void Dispose()
    {
        stop.Cancel();
        try { producer.Wait(); } catch (AggregateException) { }
        ready.Dispose();
        stop.Dispose();
    }
}
