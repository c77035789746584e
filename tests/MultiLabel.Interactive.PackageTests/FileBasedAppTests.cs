using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The chapter as a file-based app, as upstream now points C# users (`dotnet run app.cs`): run from the
/// clone on the bundled data, it prints its progress and results and writes a report page that headless chromium
/// draws offline.</summary>
public sealed partial class FileBasedAppTests
{
    [GeneratedRegex(@"RESULT keypoints valid_mse=(?<mse>[0-9.]+) mean_predictor_mse=(?<mean>[0-9.]+) ratio=(?<ratio>[0-9.]+)")]
    private static partial Regex KeypointResult();

    [Fact]
    public async Task The_regression_chapter_app_trains_prints_its_figures_and_writes_a_report_that_draws_offline()
    {
        var root = MultiLabel.Testing.RepositoryRoot.Path;
        using var temp = new TempFolder();
        var report = temp.File("06b-regression.html");

        var (code, log) = LocalPackageFeed.RunWithExitCode("dotnet", ["run", Path.Combine(root, "apps", "06b-regression.cs"), "--", report], root,
            TimeSpan.FromMinutes(20)); // about 2.5 min alone; several times that beside the other test projects

        Assert.True(code == 0, $"dotnet run exited {code}:\n{log}");
        Assert.Contains("epoch  phase  train_loss  valid_loss  mse  rmse_px  time", log); // the epoch table, as lines
        var result = KeypointResult().Match(log);
        Assert.True(result.Success, log);
        // The notebook's settings and seeds: far better than always predicting the mean position.
        Assert.True(double.Parse(result.Groups["ratio"].Value, CultureInfo.InvariantCulture) < 0.2, result.Value);

        var html = File.ReadAllText(report);
        Assert.Equal(["The data", "Training", "Results"], HtmlChecks.Texts(html, "h2"));
        Assert.Single(HtmlChecks.Rows(html, "table.ml-runtime"), r => r[0] == "backend");
        Assert.Equal(9, HtmlChecks.Count(html, "div.ml-batch figure"));
        Assert.Equal(12, HtmlChecks.Count(html, "div.ml-results figure")); // 6 items: target and prediction
        Assert.Equal(4, HtmlChecks.Rows(html, "table.ml-epochs").Count); // fine_tune: 1 frozen + 3 unfrozen epochs

        var page = await OfflineBrowser.OpenAsync(report, "06b-regression-app.png");
        Assert.Equal(page.Charts, page.Plots); // every chart drew: lr_find and the loss curve
        Assert.True(page.Plots >= 2, $"{page.Plots} charts rendered");
        Assert.True(page.TileWidths.Length >= 9 + 12 + 1 && page.TileWidths.All(w => w > 0), $"{page.TileWidths.Length} image tiles");
        Assert.Empty(page.Refused);
    }

    [Fact]
    public void The_multilabel_chapter_app_builds()
    {
        // Run in full it takes as long as the regression app (it was run by hand: the notebook's figures to the digit);
        // CI builds it so that it cannot rot.
        var root = MultiLabel.Testing.RepositoryRoot.Path;
        var (code, log) = LocalPackageFeed.RunWithExitCode("dotnet", ["build", Path.Combine(root, "apps", "06a-multilabel.cs")], root, TimeSpan.FromMinutes(10));

        Assert.True(code == 0, $"dotnet build exited {code}:\n{log}");
    }
}
