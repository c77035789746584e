using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace MultiLabel.Interactive.Directives;

/// <summary>Reads and writes C# variables for magic commands, with errors that say what was wrong.</summary>
static class KernelVariables
{
    public static CSharpKernel CSharp(Kernel kernel) =>
        (kernel.RootKernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault()
        ?? kernel as CSharpKernel
        ?? throw new DirectiveException("This magic command needs a C# kernel.");

    public static T Get<T>(Kernel kernel, string? name, string option, string directive)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new DirectiveException($"{directive} needs {option} <name of a C# variable holding a {typeof(T).Name}>.");
        var csharp = CSharp(kernel);
        if (!csharp.TryGetValue<object>(name, out var value))
            throw new DirectiveException($"{directive}: there is no C# variable '{name}'. Run the cell that defines it first.");
        return value is T typed
            ? typed
            : throw new DirectiveException($"{directive}: '{name}' is a {value?.GetType().Name ?? "null"}, not a {typeof(T).Name}.");
    }

    /// <summary>The names of the C# variables that hold a <typeparamref name="T"/> (for completions); none when the
    /// kernel has no C# kernel or has run no cell yet.</summary>
    public static IEnumerable<string> NamesOf<T>(Kernel kernel)
    {
        var csharp = (kernel.RootKernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault() ?? kernel as CSharpKernel;
        return csharp?.ScriptState?.Variables.Where(v => v.Value is T).Select(v => v.Name).Distinct().Order().ToList() ?? [];
    }

    public static Task Set(Kernel kernel, string name, object value) => CSharp(kernel).SetValueAsync(name, value, value.GetType());
}

/// <summary>A bad use of a magic command; reported through the kernel's diagnostics.</summary>
sealed class DirectiveException(string message) : Exception(message);
