using System.Runtime.InteropServices;
using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Blocks;
using MultiLabel.Vision.Data.Tables;
using MultiLabel.Vision.Losses;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using MultiLabel.Vision.Transforms;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Reliability;

/// <summary>Faults met during training: each stops the call with a message that names what failed and where, and the
/// same learner trains again once the cause is gone.</summary>
public sealed class FaultTests
{
    [Fact]
    public void A_bad_image_met_mid_epoch_names_the_file_and_the_batch_and_the_learner_trains_once_it_is_fixed()
    {
        using var temp = new TempFolder();
        var colors = new[] { new Rgb24(200, 30, 30), new Rgb24(30, 200, 30) };
        var csv = "fname,labels,is_valid\n" + string.Concat(Enumerable.Range(0, 24).Select(i => $"{i}.jpg,{(i % 2 == 0 ? "red" : "green")},{(i >= 20 ? "True" : "False")}\n"));
        for (int i = 0; i < 24; i++) TestImages.Jpeg(temp.File($"{i}.jpg"), 24, 24, colors[i % 2]);
        var table = Table.ParseCsv(new StringReader(csv), "faults.csv");
        var dls = new DataBlock<TableRow>((new ImageBlock(), new MultiCategoryBlock()), r => temp.File(r["fname"]), r => r["labels"], Splitters.ColSplitter(),
            itemTfms: [new Resize(24)]).DataLoaders(table.Rows, batchSize: 4, device: CPU, workers: 2);
        using var learn = VisionLearner.Create(dls, ResNets.ResNet18, pretrained: false, seed: 1);
        var good = File.ReadAllBytes(temp.File("13.jpg"));
        File.WriteAllText(temp.File("13.jpg"), "not a jpeg");

        var error = Assert.Throws<InvalidDataException>(() => learn.Fit(1, 1e-3));

        Assert.Matches(@"^Training stopped at epoch 0, batch \d: ", error.Message);
        Assert.Contains("13.jpg", error.Message);
        Assert.Contains("keeps the weights of the last completed step", error.Message);
        File.WriteAllBytes(temp.File("13.jpg"), good);
        learn.Fit(1, 1e-3);
        Assert.Single(learn.Recorder.Epochs);
        Assert.True(double.IsFinite(learn.Recorder.Epochs[0].ValidLoss));
    }

    [Fact]
    public void A_nan_loss_stops_with_its_epoch_and_batch_and_the_learner_trains_again_at_a_finite_loss()
    {
        var loss = new NanOnce(atCall: 2);
        using var learn = VisionLearner.Create(Training.TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, loss: loss, seed: 1);

        var error = Assert.Throws<TrainingDivergedException>(() => learn.Fit(1, 1e-3));
        learn.Fit(1, 1e-3);

        Assert.StartsWith("The loss became NaN at epoch 0, batch 1", error.Message);
        Assert.All(learn.Recorder.Batches, b => Assert.True(double.IsFinite(b.Loss)));
        Assert.All(learn.Model.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }

    [Fact]
    public void Device_out_of_memory_names_the_batch_size_clears_the_gradients_and_the_learner_trains_again()
    {
        // A real CUDA out-of-memory cannot be made on this CPU; libtorch reports it as this exception, raised here
        // after backward, when the gradients of the failed batch are already there.
        using var learn = VisionLearner.Create(Training.TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1);
        var oom = new OutOfMemoryOnce(atIteration: 1);

        var error = Assert.Throws<InvalidOperationException>(() => learn.Fit(1, 1e-3, callbacks: [oom]));

        Assert.StartsWith("The device ran out of memory at epoch 0, batch 1, with batch size 8 (cpu)", error.Message);
        Assert.IsType<ExternalException>(error.InnerException);
        Assert.All(learn.Model.parameters().Where(p => p.grad is not null), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
        learn.Fit(1, 1e-3);
        Assert.Single(learn.Recorder.Epochs);
    }

    [Fact]
    public void Get_preds_and_validate_stop_at_the_next_batch_when_cancelled_and_run_again_afterwards()
    {
        using var learn = VisionLearner.Create(Training.TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var preds = Assert.Throws<TrainingInterruptedException>(() => learn.GetPreds(cancellation: cancelled.Token));
        var validate = Assert.Throws<TrainingInterruptedException>(() => learn.Validate(cancelled.Token));
        using (Interruption.Use(cancelled.Token))
            Assert.Throws<TrainingInterruptedException>(() => learn.GetPreds());

        Assert.Equal("get_preds interrupted at epoch 0, batch 0 of 2; the model keeps the weights of the last completed step.", preds.Message);
        Assert.StartsWith("validation interrupted at epoch 0, batch 0 of 2", validate.Message);
        Assert.Equal(16, learn.GetPreds().Count);
    }

    sealed class NanOnce(int atCall) : ILoss
    {
        int calls;
        readonly BCEWithLogitsLossFlat inner = new();
        public string Name => "nan-once";
        public Tensor Compute(Tensor output, Tensor target)
        {
            var loss = inner.Compute(output, target);
            if (++calls != atCall) return loss;
            using var nan = float.NaN.ToScalar();
            using (loss) return loss.mul(nan);
        }
        public Tensor Activation(Tensor output) => output.sigmoid();
    }

    sealed class OutOfMemoryOnce(int atIteration) : Callback
    {
        bool thrown;
        public override void BeforeStep()
        {
            if (thrown || Learner.Iteration != atIteration) return;
            thrown = true;
            throw new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 139.72 GiB total capacity)");
        }
    }
}
