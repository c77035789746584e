using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Jupyter's own client (jupyter_client, Debian's python3-jupyter-client) against the real `.net-csharp` kernel:
/// interrupting `#!fine_tune` (a SIGINT, as the interrupt button sends) stops the cell and leaves a kernel whose learner
/// trains again; without the package's SIGINT handling the same interrupt ends the kernel.</summary>
[Collection(PackageCollection.Name)]
public sealed class JupyterInterruptTests(LocalPackageFeed feed)
{
    string Script => Path.Combine(feed.Root, "tests", "jupyter", "interrupt_training.py");

    [Fact]
    public void Interrupting_fine_tune_keeps_the_kernel_and_the_learner_trains_again()
    {
        var (code, log) = LocalPackageFeed.RunWithExitCode("/usr/bin/python3", [Script, feed.Root, feed.Folder, feed.Version], feed.Root, TimeSpan.FromMinutes(8));

        Assert.True(code == 0, $"exit {code}:\n{Tail(log)}");
        Assert.Contains("kernel alive after interrupting #!fine_tune", log);
        Assert.Matches(@"trained again: epochs recorded (\d+) -> \d+", log);
        Assert.Contains("kernel answers after interrupting a sleeping cell", log);
    }

    [Fact]
    public void Without_the_packages_SIGINT_handling_the_same_interrupt_ends_the_kernel()
    {
        var (code, log) = LocalPackageFeed.RunWithExitCode("/usr/bin/python3", [Script, feed.Root, feed.Folder, feed.Version, "baseline"], feed.Root, TimeSpan.FromMinutes(8));

        Assert.True(code == 0, $"exit {code}:\n{Tail(log)}");
        Assert.Contains("baseline: the kernel ended", log);
    }

    static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;
}
