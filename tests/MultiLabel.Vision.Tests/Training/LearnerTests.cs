using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Metrics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Optimizers;
using MultiLabel.Vision.Schedules;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Training;

public sealed class LearnerTests
{
    static DataLoaders TinyScenes() => Training.TinyScenes.Loaders(rows: 96);

    [Fact]
    public void Freeze_trains_the_head_and_every_batchnorm_and_unfreeze_trains_all_both_resetting_the_optimizer()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1);
        learn.Fit(1, 1e-3);
        Assert.True(learn.Optimizer.StateCount > 0);

        learn.Freeze();
        var frozen = learn.TrainableParameters();
        Assert.Equal(0, learn.Optimizer.StateCount);
        Assert.Contains("head.lin1.weight", frozen);
        Assert.Contains("body.bn1.weight", frozen);
        Assert.Contains("body.layer3.1.bn2.bias", frozen);
        Assert.DoesNotContain("body.conv1.weight", frozen);
        Assert.DoesNotContain("body.layer4.0.downsample.0.weight", frozen);
        Assert.True(learn.IsFrozen);

        learn.Unfreeze();
        Assert.Equal(learn.Groups.Sum(g => g.Parameters.Count), learn.TrainableParameters().Count);
        Assert.False(learn.IsFrozen);
    }

    [Fact]
    public void OptFunc_makes_every_optimizer_from_the_current_groups_and_the_learner_sets_its_weight_decay()
    {
        var made = new List<IReadOnlyList<ParameterGroup>>();
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1, weightDecay: 0.05,
            optFunc: groups => { made.Add(groups); return new ReferenceAdam(groups, weightDecay: 0); });
        Assert.Empty(made); // made on first use, as fastai's create_opt at the start of a fit

        var first = learn.Optimizer;
        Assert.IsType<ReferenceAdam>(first);
        Assert.Equal(0.05, first.WeightDecay);
        Assert.Same(learn.Groups, made.Single());
        learn.Unfreeze(); // a new optimizer, made again by optFunc
        Assert.NotSame(first, learn.Optimizer);
        Assert.Equal(2, made.Count);
        Assert.Contains("(optFunc)", learn.Summary().Optimizer);
    }

    [Fact]
    public void The_resnet_split_has_three_groups_with_fastais_boundaries()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false);
        Assert.Equal(3, learn.Groups.Count);
        Assert.Contains(learn.Groups[0].Parameters, p => p.Name == "body.layer2.1.conv2.weight");
        Assert.Contains(learn.Groups[1].Parameters, p => p.Name == "body.layer3.0.conv1.weight");
        Assert.All(learn.Groups[2].Parameters, p => Assert.StartsWith("head.", p.Name));
    }

    [Fact]
    public void Fit_one_cycle_records_fastais_learning_rates_and_momenta_per_batch_and_epoch_rows()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, metrics: [new AccuracyMulti(0.2f)]);
        var epochs = new List<EpochRecord>();
        learn.Recorder.EpochRecorded += epochs.Add;

        learn.FitOneCycle(2, LearningRates.Slice(1e-4, 1e-2));

        var batches = learn.Recorder.Batches;
        int n = batches.Count;
        Assert.Equal(2 * learn.Dls.Train.Count, n);
        Assert.Equal(1e-2 / 25, batches[0].LearningRate, 12);
        Assert.Equal(0.95, batches[0].Momentum, 12);
        int i = n / 2;
        Assert.Equal(Schedule.OneCycleLr(1e-2, (double)i / n), batches[i].LearningRate, 12);
        Assert.Equal(Schedule.OneCycleMomentum((double)i / n), batches[i].Momentum, 12);
        Assert.Equal(1e-4 * Schedule.OneCycleLr(1, (double)(n - 1) / n), learn.Groups[0].LearningRate, 12);
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidLoss) && e.Metrics.ContainsKey("accuracy_multi")));
        Assert.StartsWith("epoch  train_loss  valid_loss  accuracy_multi  time", learn.Recorder.Table());
    }

    [Fact]
    public void Lr_find_restores_weights_optimizer_and_recorder_and_works_after_training()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 4);
        learn.Fit(1, 1e-3);
        var before = learn.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        int state = learn.Optimizer.StateCount, batches = learn.Recorder.Batches.Count;

        var result = learn.LrFind(numIt: 20);

        Assert.InRange(result.LearningRates.Count, 2, 20);
        Assert.Equal(1e-7, result.LearningRates[0], 12);
        Assert.All(learn.Model.state_dict(), kv => Assert.True(kv.Value.equal(before[kv.Key]).all().item<bool>(), kv.Key));
        Assert.Equal(state, learn.Optimizer.StateCount);
        Assert.Equal(batches, learn.Recorder.Batches.Count);
        Assert.Equal(4, result.Suggestions.Count);
        Assert.Contains("valley", result.ToString());
    }

    [Fact]
    public void A_nan_loss_stops_training_with_a_clear_message_and_keeps_the_last_finite_weights()
    {
        var loss = new NanAfter(2);
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, loss: loss);
        Dictionary<string, Tensor>? afterSecond = null;
        learn.Recorder.BatchRecorded += b => { if (b.Iteration == 1) afterSecond = learn.Model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.clone().DetachFromDisposeScope()); };

        var error = Assert.Throws<TrainingDivergedException>(() => learn.Fit(1, 1e-3));

        Assert.StartsWith("The loss became NaN at epoch 0, batch 2", error.Message);
        Assert.Contains("lower learning rate", error.Message);
        // Parameters are untouched by the failed batch (BatchNorm running statistics did see its forward pass).
        Assert.All(learn.Model.named_parameters(), kv => Assert.True(kv.parameter.equal(afterSecond![kv.name]).all().item<bool>(), kv.name));
    }

    [Fact]
    public void Export_then_load_predicts_identically()
    {
        using var temp = new TempFolder();
        var dls = TinyScenes();
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 5);
        learn.Fit(1, 1e-3);
        var image = Path.Combine(Training.TinyScenes.Folder, "train", "000007.jpg");
        var expected = learn.Predict(image);

        learn.Export(temp.File("model.mlx"));
        using var loaded = Learner.Load(temp.File("model.mlx"), CPU);
        var actual = loaded.Predict(image);

        Assert.Equal(expected.Activations, actual.Activations);
        Assert.Equal(expected.Decoded.ToString(), actual.Decoded.ToString());
        Assert.Equal(dls.Vocab!, loaded.Vocab!);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Predictions_decode_to_label_vectors_with_the_threshold()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, loss: new BCEWithLogitsLossFlat(threshold: 0.3f));

        var prediction = learn.Predict(Path.Combine(Training.TinyScenes.Folder, "train", "000001.jpg"));
        var preds = learn.GetPreds();
        var results = learn.ShowResults(4);

        var labels = Assert.IsType<LabelVector>(prediction.Decoded);
        Assert.Equal(0.3f, labels.Threshold);
        Assert.Equal(learn.Dls.Vocab!.Count, prediction.Activations.Count);
        Assert.All(prediction.Activations, p => Assert.InRange(p, 0f, 1f));
        // Exactly the labels whose probability passes the learner's threshold (0.3), in vocabulary order.
        var expected = learn.Dls.Vocab.Where((_, i) => prediction.Activations[i] > 0.3f).ToList();
        Assert.Equal(expected, labels.Decode());
        Assert.Equal(prediction.Activations, labels.Values);
        Assert.Equal(learn.Dls.Valid.Items.Count, preds.Count);
        Assert.Equal(preds.Count * preds.Width, preds.Targets.Length);
        Assert.Equal(4, results.Items.Count);
        Assert.IsType<LabelVector>(results.Items[0].Predicted);
    }

    [Fact]
    public void Fine_tune_records_each_phase_numbered_from_0_as_fastai_prints_it()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: true, seed: 1);
        var console = new StringWriter();
        learn.Add(new MultiLabel.Views.ConsoleProgress(console, live: false));

        learn.FineTune(2, 1e-3, freezeEpochs: 1);
        learn.Fit(1, 1e-4);

        Assert.Equal([(0, "frozen"), (0, "unfrozen"), (1, "unfrozen"), (0, (string?)null)], learn.Recorder.Epochs.Select(e => (e.Epoch, e.Phase)));
        var table = learn.Recorder.Table().Split('\n');
        Assert.StartsWith("epoch  phase  train_loss  valid_loss", table[0]);
        Assert.StartsWith("0  frozen  ", table[1]);
        Assert.StartsWith("1  unfrozen  ", table[3]);
        // The console prints the same rows, with a header for each fit (the plain fit's without the phase column).
        var plainRow = learn.Recorder.EpochTable().Rows[3].Where((_, i) => i != 1);
        Assert.Equal([table[0], table[1], table[0], table[2], table[3], "epoch  train_loss  valid_loss  time", string.Join("  ", plainRow)],
            console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(learn.Phase);
        Assert.EndsWith("; weights: ImageNet, the bundled ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18, CNTK export), as resnet18-f37072fd.pth could not be fetched", learn.ToString());
    }

    [Fact]
    public void The_frozen_fit_warms_up_to_its_last_batch_as_fastai_does_or_anneals_with_frozenPctStart()
    {
        double LastFrozenLr(double? frozenPctStart)
        {
            using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, seed: 1);
            if (frozenPctStart is { } pct) learn.FineTune(0, 1e-2, freezeEpochs: 1, frozenPctStart: pct);
            else learn.FineTune(0, 1e-2, freezeEpochs: 1);
            return learn.Recorder.Batches[^1].LearningRate;
        }

        // 9 batches; the last is at 8/9 of the fit. fastai's one-cycle: cosine from 1e-2/25 up to 1e-2 over pct_start, then
        // cosine down to 1e-2/1e5. With pct_start 0.99 the last batch is still warming up; with 0.25 it is nearly annealed.
        static double Cos(double start, double end, double pos) => start + (end - start) * (1 - Math.Cos(Math.PI * pos)) / 2;
        double warm = Cos(1e-2 / 25, 1e-2, (8.0 / 9) / 0.99);
        double annealed = Cos(1e-2, 1e-2 / 1e5, (8.0 / 9 - 0.25) / 0.75);
        Assert.Equal(warm, LastFrozenLr(null), 1e-9);      // 0.00976
        Assert.Equal(annealed, LastFrozenLr(0.25), 1e-9);  // 0.00053
        Assert.Throws<ArgumentOutOfRangeException>(() => LastFrozenLr(0));
    }

    [Fact]
    public void Validate_returns_the_loss_and_each_metric_and_a_replaced_metric_is_used()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false, metrics: [new AccuracyMulti(threshold: 0.5f)], seed: 1);

        var first = learn.Validate();
        learn.Metrics = [new AccuracyMulti(threshold: 0.99f), new AccuracyMulti(threshold: 0.01f)];
        var (loss, metrics) = learn.Validate();

        Assert.Equal(first.Loss, loss, 6);
        Assert.Equal(2, metrics.Count);
        // Scored by hand from the validation probabilities: the share of cells where (p > threshold) equals the target.
        var preds = learn.GetPreds();
        double ByHand(float threshold) => preds.Activations.Zip(preds.Targets).Average(c => (c.First > threshold ? 1f : 0f) == c.Second ? 1.0 : 0.0);
        Assert.Equal(ByHand(0.99f), metrics[0], 5);
        Assert.Equal(ByHand(0.01f), metrics[1], 5);
        Assert.NotEqual(metrics[0], metrics[1]);
        Assert.Matches(@"^\(#3\) \[[0-9.]+, [0-9.]+, [0-9.]+\]$", learn.Validate().ToString());
        var (probs, targs) = preds; // fastai's preds, targs = learn.get_preds()
        Assert.Equal([preds.Count, preds.Width], probs.shape);
        Assert.Equal(preds.Activations, probs.data<float>().ToArray());
        Assert.Equal(preds.Targets, targs.view(-1).data<float>().ToArray());
    }

    [Fact]
    public void Training_does_not_leak_tensors_across_epochs_and_can_be_cancelled()
    {
        using var learn = VisionLearner.Create(TinyScenes(), ResNets.ResNet18, pretrained: false);
        learn.Fit(1, 1e-3);
        long afterOne = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        learn.Fit(2, 1e-3);
        long afterThree = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using var cancel = new CancellationTokenSource();
        learn.Recorder.BatchRecorded += b => { if (b.BatchIndex == 1) cancel.Cancel(); };

        var stopped = Assert.Throws<TrainingInterruptedException>(() => learn.Fit(3, 1e-3, cancellation: cancel.Token));

        Assert.Equal("training interrupted at epoch 0, batch 2 of 9; the model keeps the weights of the last completed step.", stopped.Message);
        Assert.Equal(2, learn.Recorder.Batches.Skip(27).Count(b => b.Epoch == 0));
        Assert.Equal(afterOne, afterThree);
        Assert.False(learn.Training);
    }

    sealed class NanAfter(int batches) : ILoss
    {
        int calls;
        readonly BCEWithLogitsLossFlat inner = new();
        public string Name => "nan-after";
        public Tensor Compute(Tensor output, Tensor target) => ++calls > batches ? inner.Compute(output, target) * float.NaN : inner.Compute(output, target);
        public Tensor Activation(Tensor output) => output.sigmoid();
    }
}
