using System.Globalization;
using System.Text.RegularExpressions;
using MultiLabel.Cli;
using MultiLabel.Vision.Models;
using Xunit;
using static TorchSharp.torch;

namespace MultiLabel.Vision.Tests.Cli;

/// <summary>bench-train's split of the host-bound step into the parts PyTorch's side times the same way.</summary>
public sealed class StepPhasesTests
{
    [Fact]
    public void The_host_bound_step_is_split_into_its_parts_and_they_add_up_to_the_step()
    {
        var phases = new StepPhases();
        var tiny = new TrainBenchmark.Workload("tiny", ResNets.ResNet18, 2, 32, 32, 2, true);

        var step = TrainBenchmark.StepTime(tiny, CPU, 2, steps: 5, warmup: 0, TrainBenchmark.Mode.Fp32, phases);

        var medians = phases.Medians();
        var parts = Regex.Match(medians, @"^forward (\d+\.\d\d) loss (\d+\.\d\d) backward (\d+\.\d\d) step (\d+\.\d\d) rest (\d+\.\d\d) ms \(medians of 5\)$");
        Assert.True(parts.Success, medians); // the warm-up steps are not recorded
        var ms = Enumerable.Range(1, 5).Select(i => double.Parse(parts.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(ms[0] > 0 && ms[2] > 0 && ms[3] > 0, medians); // forward, backward and the optimizer's step take time
        Assert.InRange(ms.Sum(), 0.5 * step.Milliseconds, 1.2 * step.Milliseconds);
    }
}
