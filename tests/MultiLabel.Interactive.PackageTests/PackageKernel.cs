using System.Collections.Concurrent;
using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary>An in-process C# kernel that restores packages with #i / #r "nuget: …" and runs a restored package's
/// interactive-extensions/dotnet/extension.dib, exactly as the notebook tools do.</summary>
static class PackageKernel
{
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((k, references) =>
            {
                k.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        var added = new ConcurrentQueue<PackageAdded>();
        composite.RegisterForDisposal(composite.KernelEvents.OfType<PackageAdded>().Subscribe(added.Enqueue));
        composite.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var package))
            {
                var script = new FileInfo(Path.Combine(package.PackageReference.PackageRoot, "interactive-extensions", "dotnet", "extension.dib"));
                if (script.Exists) await composite.LoadAndRunInteractiveDocument(script, context.Command);
            }
        });
        return composite;
    }

    public static Task<KernelCommandResult> Submit(this CompositeKernel kernel, string code) => kernel.SendAsync(new SubmitCode(code));

    public static void Succeeded(KernelCommandResult result, string? what = null)
    {
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, $"{what}{(what is null ? "" : ": ")}{failed?.Message}");
    }
}
