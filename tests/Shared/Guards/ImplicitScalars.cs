using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace MultiLabel.Testing;

/// <summary>
/// Where a TorchSharp <see cref="Scalar"/> is created as a temporary. TorchSharp 0.107 frees a Scalar in its finalizer;
/// a temporary one (from an implicit conversion such as the 0.5 in <c>t * 0.5</c>, or made inside TorchSharp, as the 1 in
/// <c>a.add_(b)</c>) is unreachable while the native call that uses it still runs, so a collection at that moment frees
/// it under the call. This finds, from IL: the TorchSharp and TorchVision methods that create one (directly or through
/// the methods they call), and the places in an assembly of ours that create one or call such a method.
/// </summary>
static class ImplicitScalars
{
    static readonly Assembly[] Torch = [typeof(Scalar).Assembly, typeof(torchvision).Assembly];

    /// <summary>TorchSharp and TorchVision methods that create a Scalar they do not keep alive, by key.</summary>
    public static readonly Lazy<HashSet<(Guid, int)>> Creators = new(FindCreators);

    static bool IsScalarConversion(MethodBase m) =>
        m.DeclaringType == typeof(Scalar) && m.Name is "op_Implicit" or "op_Explicit";

    static bool IsToScalar(MethodBase m) => m.Name == "ToScalar" && m is MethodInfo { ReturnType: var r } && r == typeof(Scalar);

    static HashSet<(Guid, int)> FindCreators()
    {
        var calls = Torch.SelectMany(ILCalls.MethodsOf).Distinct()
            .ToDictionary(ILCalls.Key, m => ILCalls.Of(m).Select(c => c.Target).ToList());
        // Direct: a conversion, or a ToScalar whose result is not stored (a temporary handed straight to a call).
        var creators = Torch.SelectMany(ILCalls.MethodsOf).Distinct()
            .Where(m => ILCalls.Of(m).Any(c => IsScalarConversion(c.Target) || IsToScalar(c.Target) && !IsStore(c.Next)))
            .Select(ILCalls.Key).ToHashSet();
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (key, targets) in calls)
                if (!creators.Contains(key) && targets.Any(t => creators.Contains(ILCalls.Key(t))))
                    grew = creators.Add(key) || grew;
        }
        return creators;
    }

    static bool IsStore(OpCode next) =>
        next.Name!.StartsWith("stloc", StringComparison.Ordinal) || next == OpCodes.Stfld || next == OpCodes.Stsfld;

    /// <summary>True when calling <paramref name="method"/> may create a temporary Scalar.</summary>
    public static bool Creates(MethodBase method) => Creators.Value.Contains(ILCalls.Key(method));

    /// <summary>Every place in <paramref name="assembly"/> that creates a temporary Scalar, as "caller → callee".</summary>
    public static IReadOnlyList<string> UsesIn(Assembly assembly) =>
        ILCalls.MethodsOf(assembly)
            .SelectMany(m => ILCalls.Of(m).Where(c => IsScalarConversion(c.Target) || IsToScalar(c.Target) && !IsStore(c.Next)
                                                      || Torch.Contains(c.Target.Module.Assembly) && Creates(c.Target))
                .Select(c => $"{Describe(m)} → {Describe(c.Target)}"))
            .Distinct().Order().ToList();

    public static string Describe(MethodBase m) =>
        $"{m.DeclaringType?.FullName}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";
}
