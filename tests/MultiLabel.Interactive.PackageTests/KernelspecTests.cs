using System.Text.Json;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>The Jupyter kernel a reader's own notebook uses: the kernelspec that scripts/install-jupyter-kernel.sh writes
/// starts the .NET kernel from a folder outside the clone, through Jupyter's own client.</summary>
public sealed class KernelspecTests
{
    const string StartAndRun = """
        import sys, jupyter_client
        km, kc = jupyter_client.manager.start_new_kernel(kernel_name='.net-csharp', cwd=sys.argv[1], startup_timeout=240)
        out = []
        def hook(msg):
            if msg['msg_type'] == 'stream': out.append(msg['content']['text'])
        reply = kc.execute_interactive('Console.WriteLine(6 * 7);', timeout=240, output_hook=hook)
        print('status:', reply['content']['status'])
        print('output:', ''.join(out).strip())
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        """;

    [Fact]
    public void The_csharp_kernel_starts_from_a_folder_outside_the_clone()
    {
        var home = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter");
        using (var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "kernels", ".net-csharp", "kernel.json"))))
        {
            var command = spec.RootElement.GetProperty("argv")[0].GetString()!;
            Assert.True(Path.IsPathRooted(command) && File.Exists(command), $"the kernelspec's command is '{command}', not an absolute path to the tool");
        }
        using var elsewhere = new TempFolder(); // under the system's temporary folder: no tool manifest above it
        Assert.False(elsewhere.Path.StartsWith(MultiLabel.Testing.RepositoryRoot.Path, StringComparison.Ordinal));

        var (code, log) = LocalPackageFeed.RunWithExitCode("/usr/bin/python3", ["-c", StartAndRun, elsewhere.Path], elsewhere.Path, TimeSpan.FromMinutes(6));

        Assert.True(code == 0, log);
        Assert.Contains("status: ok", log);
        Assert.Contains("output: 42", log);
    }
}
