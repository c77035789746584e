using Xunit;

namespace MultiLabel.Vision.Tests.Cli;

/// <summary>The `multilabel` command line as a user runs it: help, option errors that name the option, exit codes.</summary>
public sealed class CommandLineTests
{
    static ChildProcess.Result Run(params string[] args) => MultilabelTool.Run(TimeSpan.FromMinutes(2), null, args);

    [Fact]
    public void Help_lists_the_commands_and_a_commands_options()
    {
        var root = Run("--help");
        var benchData = Run("bench-data", "--help");

        Assert.Equal(0, root.ExitCode);
        foreach (var command in new[] { "info", "train-check", "bench-data", "bench-train", "gc-stress", "export-soak", "weights", "untar-data", "render-notebook" })
            Assert.Contains($"  {command} ", root.Output);
        Assert.Equal(0, benchData.ExitCode);
        Assert.Contains("--batches", benchData.Output);
        Assert.Contains("decoding threads", benchData.Output);
    }

    [Fact]
    public void Bad_values_and_unknown_options_fail_with_a_message_naming_them()
    {
        var range = Run("bench-data", "--size", "0");
        var type = Run("bench-data", "--size", "lots");
        var unknown = Run("bench-data", "--colour", "red");
        var version = Run("weights", "--version", "v3");
        var dataset = Run("untar-data", "--name", "MNIST_TINY");

        Assert.Equal(2, range.ExitCode);
        Assert.Contains("error: option '--size' must be an integer ≥ 1, got '0'", range.Output);
        Assert.NotEqual(0, type.ExitCode);
        Assert.Contains("Cannot parse argument 'lots' for option '--size'", type.Output);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Unrecognized command or argument '--colour'", unknown.Output);
        Assert.Equal(2, version.ExitCode);
        Assert.Contains("option '--version' must be v1 (or v2 for resnet50), got 'v3'", version.Output);
        Assert.Equal(2, dataset.ExitCode);
        Assert.Contains("option '--name' must be one of PASCAL_2007, BIWI_HEAD_POSE, BIWI_SAMPLE or an http(s) address, got 'MNIST_TINY'", dataset.Output);
    }
}
