using System.Diagnostics;
using MultiLabel.Vision.Models;
using MultiLabel.Vision.Training;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Reliability;

/// <summary>An export interrupted at any moment leaves the old file or the new one; a truncated or foreign file is a clear
/// error naming it.</summary>
public sealed class ExportFileTests
{

    [Fact]
    public void Killing_the_writer_mid_export_always_leaves_a_complete_export()
    {
        using var temp = new TempFolder();
        var target = temp.File("learner.mlx");
        var random = new Random(5);
        int midWrite = 0;
        for (int kill = 0; kill < 6; kill++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { MultilabelTool.Path, "export-soak", "--out", target, "--seconds", "60", "--datasets", Path.Combine(RepositoryRoot.Path, "datasets") }) start.ArgumentList.Add(a);
            using var writer = Process.Start(start)!;
            writer.BeginErrorReadLine(); // drained, or the writer can stall on a full pipe
            var first = writer.StandardOutput.ReadLine(); // the first export is complete
            Assert.True(first == "exported 1", $"the writer did not export: {first}");
            Thread.Sleep(random.Next(20, 400));
            writer.Kill(); // SIGKILL: no finally block runs, as when the machine or the kernel dies
            Assert.True(writer.WaitForExit(TimeSpan.FromSeconds(30)), "the writer did not die");

            using (var loaded = Learner.Load(target, CPU)) Assert.Equal("resnet18", loaded.Arch);
            var leftovers = Directory.GetFiles(temp.Path, "*.tmp");
            if (leftovers.Length > 0) midWrite++;
            foreach (var f in leftovers) File.Delete(f);
        }
        // Each export takes most of its cycle writing, so most kills land inside a write (its temporary file stays behind).
        Assert.True(midWrite >= 2, $"only {midWrite} of 6 kills landed during a write");
        Assert.Equal(["learner.mlx"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_truncated_export_and_a_foreign_file_are_errors_naming_the_file()
    {
        using var temp = new TempFolder();
        using (var learn = VisionLearner.Create(Training.TinyScenes.Loaders(rows: 64), ResNets.ResNet18, pretrained: false, seed: 1))
            learn.Export(temp.File("whole.mlx"));
        var bytes = File.ReadAllBytes(temp.File("whole.mlx"));
        File.WriteAllBytes(temp.File("truncated.mlx"), bytes[..(bytes.Length / 2)]);
        File.Copy(Path.Combine(Training.TinyScenes.Folder, "train", "000007.jpg"), temp.File("photo.mlx"));

        var truncated = Assert.Throws<InvalidDataException>(() => Learner.Load(temp.File("truncated.mlx"), CPU));
        var foreign = Assert.Throws<InvalidDataException>(() => Learner.Load(temp.File("photo.mlx"), CPU));

        Assert.StartsWith($"'{temp.File("truncated.mlx")}' is not an exported learner: it is not a complete zip archive", truncated.Message);
        Assert.StartsWith($"'{temp.File("photo.mlx")}' is not an exported learner: it is not a complete zip archive", foreign.Message);
    }
}
