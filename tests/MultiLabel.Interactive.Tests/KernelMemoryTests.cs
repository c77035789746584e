using Xunit;

namespace MultiLabel.Interactive.Tests;

/// <summary>Ten epochs in one kernel session: resident memory does not grow and live tensor handles stay flat from epoch 2 on.</summary>
public sealed class KernelMemoryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    readonly KernelHarness kernel = new();

    public void Dispose() => kernel.Dispose();

    [Fact]
    public async Task Rss_and_live_tensors_stay_within_5_percent_over_ten_epochs()
    {
        KernelHarness.Succeeded(await kernel.LoadExtensionAsync());
        KernelHarness.Succeeded(await kernel.SubmitAsync(ChapterSetup.MultiLabel(rows: 64, size: 32, batch: 8)));

        KernelHarness.Succeeded(await kernel.SubmitAsync("""
            var rss = new List<long>(); var live = new List<long>();
            for (int e = 0; e < 10; e++)
            {
                learn.FitOneCycle(1, 1e-3);
                learn.GetPreds();
                GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                rss.Add(self.WorkingSet64);
                live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
            """));

        Assert.True(kernel.CSharp.TryGetValue<List<long>>("rss", out var rss));
        Assert.True(kernel.CSharp.TryGetValue<List<long>>("live", out var live));
        var report = string.Join("; ", rss.Zip(live, (r, l) => $"{r / 1048576} MiB, {l} tensors"));
        output.WriteLine(report);
        Assert.Equal(10, rss.Count);
        // A leak grows; memory handed back to the system (glibc trims its arenas now and then) is not one.
        Assert.All(rss.Skip(1), r => Assert.True(r <= 1.05 * rss[1], $"RSS per epoch: {report}"));
        Assert.True(rss[^1] <= 1.05 * rss.Skip(1).Min(), $"RSS at the end is more than 5% above its lowest: {report}");
        Assert.All(live.Skip(1), l => Assert.True(Math.Abs(l - live[1]) <= 0.05 * Math.Max(1, live[1]), $"live tensors per epoch: {report}"));
    }
}
