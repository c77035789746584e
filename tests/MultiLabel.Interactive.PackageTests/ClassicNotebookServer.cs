using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>Debian's classic Jupyter Notebook (6.4, <c>python3-notebook</c>) serving one folder on 127.0.0.1 with its own
/// configuration, data (the trust database) and runtime folders, so no notebook is trusted until <see cref="Trust"/>, and
/// with no kernelspec allowed (opening a notebook starts no kernel).</summary>
sealed class ClassicNotebookServer : IDisposable
{
    const string Python = "/usr/bin/python3";
    readonly Process process;
    readonly TempFolder home = new();
    readonly Dictionary<string, string?> environment;

    public string Folder { get; }
    public Uri Address { get; }

    public ClassicNotebookServer(string folder)
    {
        Folder = folder;
        Assert.True(MultiLabel.Testing.ChildProcess.Run(Python, ["-c", "import notebook; assert notebook.__version__.startswith('6.')"], folder).ExitCode == 0,
            "Debian's classic Notebook is needed: apt-get install python3-notebook (scripts/test.sh installs it).");
        environment = new()
        {
            ["JUPYTER_CONFIG_DIR"] = home.File("config"),
            ["JUPYTER_DATA_DIR"] = home.File("data"),
            ["JUPYTER_RUNTIME_DIR"] = home.File("runtime"),
            ["JUPYTER_PATH"] = home.File("data"),
        };
        int port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-m", "notebook", "--allow-root", "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0",
                     "--NotebookApp.token=", "--NotebookApp.password=", $"--notebook-dir={folder}",
                     // Opening a notebook starts no kernel: the page shows the saved outputs as they are.
                     "--KernelSpecManager.allowed_kernelspecs=no-kernel-for-this-test" })
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilServing();
    }

    /// <summary>Marks <paramref name="notebook"/> trusted in this server's own database, as <c>jupyter trust</c> does (nbformat.sign).</summary>
    public void Trust(string notebook)
    {
        var run = MultiLabel.Testing.ChildProcess.Run(Python, ["-m", "nbformat.sign", Path.Combine(Folder, notebook)], Folder, environment);
        Assert.True(run.ExitCode == 0, run.Output);
    }

    public Uri Page(string notebook) => new(Address, "notebooks/" + Uri.EscapeDataString(notebook));

    /// <summary>A browser that may load this server's pages, its websocket and data URIs, nothing else.</summary>
    public Task<OfflineBrowser.Session> StartBrowserAsync() =>
        OfflineBrowser.Session.StartAsync(url => url.StartsWith(Address.ToString(), StringComparison.Ordinal)
            || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith($"ws://127.0.0.1:{Address.Port}/", StringComparison.Ordinal));

    /// <summary>Opens <paramref name="notebook"/> in a new tab once its outputs are rendered and every image has loaded
    /// or failed; closes the "kernel not found" dialog (no kernelspec is allowed here).</summary>
    public async Task<Microsoft.Playwright.IPage> OpenAsync(OfflineBrowser.Session session, string notebook)
    {
        var tab = await session.Context.NewPageAsync();
        await tab.GotoAsync(Page(notebook).ToString());
        await tab.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && document.querySelectorAll('.output_area').length > 0",
            null, new() { Timeout = 60_000 });
        await tab.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)", null, new() { Timeout = 30_000 });
        await tab.EvaluateAsync("() => { if (window.$) $('.modal').modal('hide'); }");
        await tab.WaitForTimeoutAsync(500);
        return tab;
    }

    void WaitUntilServing()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"jupyter-notebook exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                if (http.GetAsync(new Uri(Address, "api/status")).Result.StatusCode == HttpStatusCode.OK) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"jupyter-notebook did not answer on {Address} within 60 s");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { process.Kill(entireProcessTree: true); process.WaitForExit(10_000); } catch (InvalidOperationException) { }
        process.Dispose();
        home.Dispose();
    }
}
