namespace MultiLabel.Interactive.Formatting;

/// <summary>What this kernel process talks to.</summary>
static class FrontEnd
{
    /// <summary>True when the kernel was started by a Jupyter kernelspec (<c>dotnet-interactive jupyter …</c>, how
    /// upstream's and this project's kernelspecs start it). Jupyter's protocol carries a display's values as strings and
    /// only <c>application/json</c> as JSON, so a Plotly figure would reach JupyterLab's renderer — and be saved in the
    /// notebook — as a string, which Plotly's renderers cannot read.</summary>
    public static bool IsJupyter { get; } = IsJupyterCommandLine(Environment.GetCommandLineArgs());

    // The tool's entry assembly is Microsoft.DotNet.Interactive.App.dll (what the first argument names, however the tool
    // was started); dotnet-interactive is its command.
    internal static bool IsJupyterCommandLine(IReadOnlyList<string> args) =>
        args.Count > 1 && args[1] == "jupyter"
        && Path.GetFileNameWithoutExtension(args[0]) is var name
        && (name.Equals("Microsoft.DotNet.Interactive.App", StringComparison.OrdinalIgnoreCase) || name.Equals("dotnet-interactive", StringComparison.OrdinalIgnoreCase));
}
