namespace MultiLabel.Vision.Tests;

/// <summary>The `multilabel` command built beside the tests, run as a user runs it (<c>dotnet multilabel.dll …</c>).</summary>
static class MultilabelTool
{
    public static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "multilabel.dll");

    public static ChildProcess.Result Run(TimeSpan timeout, IDictionary<string, string?>? environment, params string[] args) =>
        ChildProcess.Run("dotnet", [Path, .. args], environment: environment, timeout: timeout);
}
