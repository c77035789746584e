using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

/// <summary>The one loop: the order of fastai's events in fit, validate and get_preds, and what each cancel exception
/// skips and reports.</summary>
public sealed class LoopEventsTests
{
    // 16 items: 12 training (1 batch of 8, the last partial batch dropped), 4 validation (1 batch).
    // Two labels (by name length) so that both are in the training split.
    static Learner Tiny() => VisionLearner.Create(TinyScenes.Loaders(rows: 16, size: 16, label: l => l.Length % 2 == 0 ? "even" : "odd"),
        ResNets.ResNet18, pretrained: false, seed: 1);

    static readonly string[] TrainBatch = ["before_batch", "after_pred", "after_loss", "before_backward", "before_step", "after_step", "after_batch"];
    static readonly string[] ValidBatch = ["before_batch:valid", "after_pred:valid", "after_loss:valid", "after_batch:valid"];

    [Fact]
    public void A_fit_runs_fastais_events_in_order_and_validation_batches_go_through_the_same_loop()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        var events = new EventLog();

        learn.Fit(1, 1e-3, callbacks: [events]);

        Assert.Equal(1, learn.Dls.Train.Count);
        Assert.Equal(1, learn.Dls.Valid.Count);
        string[] expected =
        [
            "before_fit", "before_epoch", "before_train", .. TrainBatch, "after_train",
            "before_validate:valid", .. ValidBatch, "after_validate:valid", "after_epoch", "after_fit",
        ];
        Assert.Equal(expected, events.Names);
        Assert.DoesNotContain(events, learn.Callbacks); // a fit's own callbacks leave with it
    }

    [Fact]
    public void Run_train_and_run_valid_scope_the_batch_events_and_every_other_event_still_runs()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        var trainOnly = new EventLog(runValid: false);
        var validOnly = new EventLog(runTrain: false);

        learn.Fit(1, 1e-3, callbacks: [trainOnly, validOnly]);
        var (preds, _) = learn.GetPreds(); // get_preds is validation: only the second sees its batch
        preds.Dispose();

        string[] outer = ["before_fit", "before_epoch", "before_train", "after_train", "before_validate:valid", "after_validate:valid", "after_epoch", "after_fit"];
        Assert.Equal([.. outer[..3], .. TrainBatch, .. outer[3..]], trainOnly.Names);
        Assert.Equal([.. outer[..4], "before_validate:valid", .. ValidBatch, "after_validate:valid", .. outer[6..]], validOnly.Names);
    }

    [Fact]
    public void Cancelling_a_batch_skips_its_step_and_runs_after_cancel_batch_then_after_batch()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        var before = learn.Model.parameters().Select(p => p.detach().clone()).ToList();
        var events = new EventLog(cancelAt: "before_backward", cancel: () => new CancelBatchException());

        learn.Fit(1, 1e-3, callbacks: [events]);

        Assert.Equal(["before_batch", "after_pred", "after_loss", "before_backward", "after_cancel_batch", "after_batch", "after_train"],
            events.Names.SkipWhile(n => n != "before_batch").Take(7));
        Assert.Contains("after_validate:valid", events.Names); // the epoch goes on
        Assert.Equal(0.0, learn.Model.parameters().Zip(before).Max(pair => (pair.First - pair.Second).abs().max().item<float>()));
    }

    [Fact]
    public void Cancelling_training_still_validates_and_cancelling_an_epoch_skips_its_validation()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        var train = new EventLog(cancelAt: "before_train", cancel: () => new CancelTrainException());
        learn.Fit(1, 1e-3, callbacks: [train]);
        Assert.Equal(["before_fit", "before_epoch", "before_train", "after_cancel_train", "after_train", "before_validate:valid"], train.Names.Take(6));
        Assert.True(double.IsFinite(learn.Recorder.Epochs[^1].ValidLoss));

        var epoch = new EventLog(cancelAt: "after_train", cancel: () => new CancelEpochException());
        learn.Fit(1, 1e-3, callbacks: [epoch]);
        Assert.Equal(["before_fit", "before_epoch", "before_train", .. TrainBatch, "after_train", "after_cancel_epoch", "after_epoch", "after_fit"], epoch.Names);
    }

    [Fact]
    public void Validate_and_get_preds_run_the_validation_events_and_agree_on_the_loss()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        learn.Metrics = [new AccuracyMulti()];
        var events = new EventLog();
        learn.Add(events);

        var validation = learn.Validate();
        var validateEvents = events.Names.ToList();
        events.Names.Clear();
        var (preds, targs) = learn.GetPreds();

        Assert.Equal(["before_validate:valid", .. ValidBatch, "after_validate:valid"], validateEvents);
        Assert.Equal(validateEvents, events.Names);
        var predictions = learn.GetPreds();
        Assert.Equal(validation.Loss, predictions.Loss, 5);
        Assert.Equal([4, learn.Dls.OutputCount], preds.shape);
        Assert.Equal(preds.shape, targs.shape);
        // AccuracyMulti at 0.5 recomputed from get_preds' sigmoid outputs.
        double accuracy = predictions.Activations.Zip(predictions.Targets).Average(p => (p.First > 0.5f ? 1f : 0f) == p.Second ? 1.0 : 0.0);
        Assert.Equal(accuracy, validation["accuracy_multi"], 5);
    }

    [Fact]
    public void An_optimizer_snapshot_restores_into_its_own_optimizer_only()
    {
        using var scope = NewDisposeScope();
        using var learn = Tiny();
        learn.Fit(1, 1e-3);
        using var snapshot = learn.Optimizer.Snapshot();
        Assert.Equal(Enumerable.Repeat(1, snapshot.Moments.Count), snapshot.Moments.Select(m => m.Step));
        learn.Fit(1, 1e-3);

        learn.Optimizer.Restore(snapshot);
        using var restored = learn.Optimizer.Snapshot();
        Assert.All(restored.Moments.Zip(snapshot.Moments), pair =>
        {
            Assert.Equal(pair.Second.Step, pair.First.Step);
            Assert.Equal(0f, (pair.First.SqrAvg! - pair.Second.SqrAvg!).abs().max().item<float>());
        });

        learn.Freeze(); // a new optimizer
        var error = Assert.Throws<ArgumentException>(() => learn.Optimizer.Restore(snapshot));
        Assert.StartsWith("This snapshot was taken from another optimizer", error.Message);
    }

    /// <summary>Records event names (":valid" outside training); can throw a cancel exception at one event, once.</summary>
    sealed class EventLog(string? cancelAt = null, Func<Exception>? cancel = null, bool runTrain = true, bool runValid = true) : Callback
    {
        public override bool RunTrain => runTrain;
        public override bool RunValid => runValid;
        static readonly HashSet<string> PerBatchOrValidation =
            ["before_batch", "after_pred", "after_loss", "after_batch", "after_cancel_batch", "before_validate", "after_validate", "after_cancel_validate"];
        bool cancelled;
        public List<string> Names { get; } = [];

        void Log(string name)
        {
            Names.Add(!Learner.Training && PerBatchOrValidation.Contains(name) ? name + ":valid" : name);
            if (name == cancelAt && !cancelled)
            {
                cancelled = true;
                throw cancel!();
            }
        }

        public override void BeforeFit() => Log("before_fit");
        public override void BeforeEpoch() => Log("before_epoch");
        public override void BeforeTrain() => Log("before_train");
        public override void BeforeBatch() => Log("before_batch");
        public override void AfterPred() => Log("after_pred");
        public override void AfterLoss() => Log("after_loss");
        public override void BeforeBackward() => Log("before_backward");
        public override void BeforeStep() => Log("before_step");
        public override void AfterStep() => Log("after_step");
        public override void AfterBatch() => Log("after_batch");
        public override void AfterCancelBatch() => Log("after_cancel_batch");
        public override void AfterTrain() => Log("after_train");
        public override void AfterCancelTrain() => Log("after_cancel_train");
        public override void BeforeValidate() => Log("before_validate");
        public override void AfterValidate() => Log("after_validate");
        public override void AfterCancelValidate() => Log("after_cancel_validate");
        public override void AfterEpoch() => Log("after_epoch");
        public override void AfterCancelEpoch() => Log("after_cancel_epoch");
        public override void AfterFit() => Log("after_fit");
    }
}
