using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using MultiLabel.Interactive.Progress;
using MultiLabel.Vision.Training;
using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>The kernel's Cancel command (VS Code's stop button; Jupyter's interrupt once the package is loaded) stops
/// training at the next batch, says where, and leaves a learner that trains again in the next cell.</summary>
public sealed class InterruptTests : IDisposable
{
    readonly KernelHarness kernel = new();

    public InterruptTests()
    {
        kernel.LoadExtensionAsync().GetAwaiter().GetResult();
        TrainingProgress.Interval = TimeSpan.Zero;
    }

    public void Dispose()
    {
        TrainingProgress.Interval = TimeSpan.FromSeconds(2);
        kernel.Dispose();
    }

    Learner Learn() => kernel.CSharp.TryGetValue<Learner>("learn", out var learn) ? learn : throw new InvalidOperationException("no learner");

    async Task WaitForBatches(Learner learn, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (learn.Recorder.Batches.Count < count && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(learn.Recorder.Batches.Count >= count, "training did not start");
    }

    /// <summary>Submits <paramref name="code"/>, cancels it once training has run a few batches, and returns its result.</summary>
    async Task<Microsoft.DotNet.Interactive.KernelCommandResult> RunThenCancel(Learner learn, string code)
    {
        var running = kernel.SubmitAsync(code);
        await WaitForBatches(learn, 3);
        int atCancel = learn.Recorder.Batches.Count;
        await kernel.Kernel.SendAsync(new Cancel());
        var result = await running;
        await AssertStopped(learn, atCancel);
        return result;
    }

    async Task AssertStopped(Learner learn, int atCancel)
    {
        // The loop ends at the next batch boundary: the batch in flight when the cell was cancelled may still be recorded
        // (on a loaded machine it can take seconds), and nothing after it.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        int after;
        do
        {
            after = learn.Recorder.Batches.Count;
            await Task.Delay(2000);
        } while (learn.Recorder.Batches.Count != after && DateTime.UtcNow < deadline);
        Assert.Equal(after, learn.Recorder.Batches.Count);
        // At most the batch in flight and one that may finish while the Cancel is routed (lr_find empties the list).
        Assert.True(after <= atCancel + 2, $"{after} batches recorded, {atCancel} when the cell was cancelled");
    }

    [Fact]
    public async Task Cancelling_fine_tune_stops_at_the_next_batch_says_where_and_the_learner_trains_again()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel(rows: 96, size: 32, batch: 4)));
        var learn = Learn();

        var result = await RunThenCancel(learn, "#!fine_tune --learn learn --epochs 20 --freeze-epochs 1");

        Assert.Contains(result.Events, e => e is CommandFailed);
        var html = string.Join("\n", result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Select(f => f.Value));
        Assert.Matches(@"interrupted at epoch \d+, batch \d+", html);
        int epochsBefore = learn.Recorder.Epochs.Count;

        var again = await kernel.SubmitAsync("#!fit_one_cycle --learn learn --epochs 1");

        KernelHarness.Succeeded(again);
        Assert.Equal(epochsBefore + 1, learn.Recorder.Epochs.Count);
        Assert.True(double.IsFinite(learn.Recorder.Epochs[^1].ValidLoss));
    }

    [Fact]
    public async Task Cancelling_a_cell_that_calls_the_engine_directly_stops_it_too()
    {
        // Batches of a few hundred milliseconds: the Cancel reaches the cell within one or two of them even when the
        // machine is busy (with 32-pixel batches of 4 a loaded machine ran several while the Cancel was routed).
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel(rows: 96, size: 64, batch: 8)));
        var learn = Learn();

        await RunThenCancel(learn, "learn.FitOneCycle(50, 1e-3);");

        Assert.True(learn.Recorder.Batches.Count < 50 * learn.Dls.Train.Count);
        KernelHarness.Succeeded(await kernel.SubmitAsync("learn.FitOneCycle(1, 1e-3);"));
    }

    [Fact]
    public async Task Cancelling_lr_find_restores_the_weights_it_started_with()
    {
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel(rows: 96, size: 32, batch: 4)));
        var learn = Learn();
        var before = learn.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        await RunThenCancel(learn, "#!lr_find --learn learn --num-it 400");
        // lr_find puts everything back in its finally block, once the batch in flight has ended: on a machine loaded by
        // the other test projects that can be seconds after the cell reports the cancel. It empties the recorder last.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (learn.Recorder.Batches.Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);

        Assert.Empty(learn.Recorder.Batches);
        foreach (var (name, tensor) in learn.Model.state_dict())
            Assert.True(before[name].allclose(tensor, rtol: 0, atol: 0), $"{name} was not restored");
    }
}
