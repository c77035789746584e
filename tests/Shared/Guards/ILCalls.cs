using System.Reflection;
using System.Reflection.Emit;

namespace MultiLabel.Testing;

/// <summary>The methods a method body calls, read from its IL: each call, callvirt, newobj, ldftn or ldvirtftn with the
/// instruction that follows it (to see where a call's result goes).</summary>
static class ILCalls
{
    public sealed record Call(MethodBase Target, OpCode Next);

    static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    static readonly HashSet<short> CallCodes = [OpCodes.Call.Value, OpCodes.Callvirt.Value, OpCodes.Newobj.Value, OpCodes.Ldftn.Value, OpCodes.Ldvirtftn.Value];

    public static IEnumerable<Call> Of(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { yield break; }
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        MethodBase? pending = null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var code = Codes[value];
            i += code.Size;
            if (pending is not null) { yield return new Call(pending, code); pending = null; }
            if (CallCodes.Contains(code.Value))
            {
                try { pending = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (Exception e) when (e is ArgumentException or MissingMethodException or TypeLoadException or FileNotFoundException) { }
            }
            i += OperandSize(code, il, i);
        }
        if (pending is not null) yield return new Call(pending, OpCodes.Nop);
    }

    static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    /// <summary>Every method, constructor and accessor declared in <paramref name="assembly"/>, compiler-generated ones included.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        foreach (var type in types)
        {
            foreach (var m in type.GetMethods(all)) yield return m;
            foreach (var c in type.GetConstructors(all)) yield return c;
        }
    }

    /// <summary>An identity for a method that is the same for a generic definition and its instantiations.</summary>
    public static (Guid, int) Key(MethodBase method) => (method.Module.ModuleVersionId, method.MetadataToken);
}
