using MultiLabel.Views;
using Xunit;

namespace MultiLabel.Vision.Tests.Data.External;

/// <summary>A download's progress in a program: a line rewritten in place in a terminal, one summary line in a log.</summary>
public sealed class ConsoleDownloadProgressTests
{
    [Fact]
    public void Redirected_output_gets_one_summary_line_when_the_download_ends()
    {
        var log = new StringWriter();
        var progress = new ConsoleDownloadProgress("PASCAL_2007 (pascal_2007.tgz)", log, live: false);

        for (long done = 100_000; done <= 1_000_000; done += 100_000) progress.Report((done, 1_000_000));
        progress.Report((1_000_000, 1_000_000)); // a repeated final report adds nothing

        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^downloaded PASCAL_2007 \(pascal_2007\.tgz\): 1\.0 MB in \d+\.\d s \(\d+\.\d MB/s\)$", line.TrimEnd('\r'));
    }

    [Fact]
    public void A_terminal_gets_one_line_rewritten_in_place_that_ends_complete()
    {
        var screen = new StringWriter();
        var progress = new ConsoleDownloadProgress("BIWI_HEAD_POSE (biwi_head_pose.tgz)", screen, live: true);

        progress.Report((0, 2_000_000));
        progress.Report((2_000_000, 2_000_000));

        var text = screen.ToString();
        Assert.StartsWith("\rdownloading BIWI_HEAD_POSE (biwi_head_pose.tgz): 0.0 of 2.0 MB", text);
        Assert.Contains("\rdownloading BIWI_HEAD_POSE (biwi_head_pose.tgz): 2.0 of 2.0 MB", text);
        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
