using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using MultiLabel.Vision.Training;

namespace MultiLabel.Interactive.Interrupts;

/// <summary>
/// Interrupting a cell stops training at the next batch and keeps the kernel. Two parts:
/// every command runs with its cancellation as the engine's <see cref="Interruption"/> token, so <c>learn.FineTune(3)</c>
/// typed in a cell stops when the kernel cancels the cell (VS Code's stop button sends the kernel's Cancel command);
/// and in a Jupyter kernel, whose interrupt is a SIGINT that the host would take as "shut down", SIGINT becomes that
/// same Cancel (<see cref="SigIntAsCancel"/>).
/// </summary>
public static class KernelInterrupts
{
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Kernel, object> kernels = new();
    static int sigIntInstalled;

    static Kernel? current;

    /// <summary>What SIGINT does in this process after <see cref="Install"/>.</summary>
    public static string SigIntBehaviour { get; private set; } = "unchanged";

    /// <summary>Makes <paramref name="root"/>'s cell cancellation stop training at the next batch, and (once per process)
    /// turns SIGINT into the kernel's Cancel. Installing twice on one kernel does nothing.</summary>
    public static void Install(Kernel root)
    {
        if (!kernels.TryAdd(root, new object())) return;
        root.AddMiddleware(async (command, context, next) =>
        {
            using (Interruption.Use(context.CancellationToken))
                await next(command, context);
        });
        // The signal goes to the process: the kernel loaded last is the one that receives it.
        current = root;
        if (WantsSigIntAsCancel() && Interlocked.Exchange(ref sigIntInstalled, 1) == 0)
            SigIntBehaviour = SigIntAsCancel.Install(() => _ = Task.Run(() => current?.SendAsync(new Cancel())))
                ? "cancels the running cell"
                : "ends the kernel (this .NET runtime's signal table was not found)";
    }

    /// <summary>In a Jupyter kernel (the host runs as `dotnet-interactive jupyter …`) unless MULTILABEL_SIGINT=default;
    /// anywhere with MULTILABEL_SIGINT=cancel.</summary>
    static bool WantsSigIntAsCancel() => Environment.GetEnvironmentVariable("MULTILABEL_SIGINT") switch
    {
        "cancel" => true,
        "default" => false,
        _ => Environment.GetCommandLineArgs().Any(a => a.Equals("jupyter", StringComparison.OrdinalIgnoreCase)),
    };
}
