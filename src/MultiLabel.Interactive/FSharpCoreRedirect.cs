using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace MultiLabel.Interactive;

/// <summary>
/// Plotly.NET 6 is built against FSharp.Core 10.1, but the notebook kernels ship 10.0 in the default load
/// context, so the first chart fails to load FSharp.Core 10.1. The two are compatible for what Plotly uses:
/// answer requests for any FSharp.Core with the one already loaded. Installed when this assembly loads,
/// before any Plotly type is touched.
/// </summary>
static class FSharpCoreRedirect
{
    static int installed;

#pragma warning disable CA2255 // deliberate: it must run before any Plotly type is loaded, whoever calls first
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core"
            ? context.Assemblies.FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
}
