using System.Text;

namespace MultiLabel.Vision.Serialization;

/// <summary>
/// Reads a pickle's opcodes without running it and lists the Python globals it would import. A PyTorch state dict needs
/// only a few (an OrderedDict, tensor and parameter rebuilders, typed storages), as PyTorch's own weights_only loading
/// allows; a pickle that asks for anything else (<c>os.system</c>, <c>builtins.eval</c>, …) is refused before it is
/// unpickled. Hand-written because no .NET library inspects a pickle without executing its construction steps.
/// </summary>
public static class PickleGlobals
{
    static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
        "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage",
        "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage",
    };

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="location"/> when the pickle imports a global
    /// outside the state-dict allowlist, uses the extension registry, or cannot be read.</summary>
    public static void CheckStateDict(byte[] pickle, string location)
    {
        foreach (var global in Globals(pickle, location))
            if (!Allowed.Contains(global))
                throw new InvalidDataException($"'{location}' asks to import '{global}', which a state dict never needs: refused (weights files are data, not code).");
    }

    /// <summary>Every global the pickle imports, as "module.name".</summary>
    public static IEnumerable<string> Globals(byte[] p, string location)
    {
        int i = 0;
        var recentStrings = new List<string>(); // for STACK_GLOBAL, which takes module and name from the stack
        while (i < p.Length)
        {
            byte op = p[i++];
            string? pushed = null;
            switch (op)
            {
                case (byte)'.': yield break; // STOP
                case (byte)'c': // GLOBAL module\nname\n
                {
                    var module = Line(p, ref i, location);
                    var name = Line(p, ref i, location);
                    yield return $"{module}.{name}";
                    break;
                }
                case 0x93: // STACK_GLOBAL
                    if (recentStrings.Count < 2) throw Unverifiable(location, "STACK_GLOBAL without two preceding strings");
                    yield return $"{recentStrings[^2]}.{recentStrings[^1]}";
                    break;
                case (byte)'i': throw Unverifiable(location, "INST"); // old-style instance creation
                case 0x82 or 0x83 or 0x84: throw Unverifiable(location, "the extension registry (EXT1/2/4)");
                // Text arguments ending at a newline.
                case (byte)'F' or (byte)'I' or (byte)'L' or (byte)'P' or (byte)'S' or (byte)'g' or (byte)'p':
                    Line(p, ref i, location);
                    break;
                case (byte)'V':
                    pushed = Line(p, ref i, location);
                    break;
                // Fixed-size arguments.
                case (byte)'K' or (byte)'h' or (byte)'q' or 0x80: i += 1; break;
                case (byte)'M': i += 2; break;
                case (byte)'J' or (byte)'j' or (byte)'r': i += 4; break;
                case (byte)'G' or 0x95: i += 8; break;
                // Length-prefixed arguments.
                case (byte)'U' or (byte)'C' or 0x8a: i += 1 + Length(p, i, 1, location); break;
                case (byte)'T' or (byte)'B' or 0x8b: i += 4 + Length(p, i, 4, location); break;
                case 0x8e or 0x96: i += 8 + Length(p, i, 8, location); break;
                case 0x8c: { int n = Length(p, i, 1, location); pushed = Text(p, i + 1, n, location); i += 1 + n; break; }
                case (byte)'X': { int n = Length(p, i, 4, location); pushed = Text(p, i + 4, n, location); i += 4 + n; break; }
                case 0x8d: { int n = Length(p, i, 8, location); pushed = Text(p, i + 8, n, location); i += 8 + n; break; }
                // No argument.
                case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'Q' or (byte)'R' or (byte)'a' or (byte)'b'
                    or (byte)'d' or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s' or (byte)'t' or (byte)')'
                    or (byte)'u' or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90 or 0x91 or 0x92 or 0x94 or 0x97 or 0x98:
                    break;
                default:
                    throw Unverifiable(location, $"unknown opcode 0x{op:x2} at byte {i - 1}");
            }
            // MEMOIZE (0x94) keeps the stack as it is; every other opcode replaces what STACK_GLOBAL would read.
            if (pushed is not null) recentStrings.Add(pushed);
            else if (op != 0x94) recentStrings.Clear();
            if (recentStrings.Count > 2) recentStrings.RemoveAt(0);
        }
        throw Unverifiable(location, "no STOP opcode");
    }

    static string Line(byte[] p, ref int i, string location)
    {
        int end = Array.IndexOf(p, (byte)'\n', i);
        if (end < 0) throw Unverifiable(location, "an unterminated text argument");
        var text = Encoding.UTF8.GetString(p, i, end - i);
        i = end + 1;
        return text;
    }

    static int Length(byte[] p, int at, int bytes, string location)
    {
        if (at + bytes > p.Length) throw Unverifiable(location, "a truncated length");
        long n = bytes switch { 1 => p[at], 4 => BitConverter.ToUInt32(p, at), _ => BitConverter.ToInt64(p, at) };
        if (n < 0 || n > p.Length - at - bytes) throw Unverifiable(location, $"a {n}-byte argument beyond the end of the pickle");
        return (int)n;
    }

    static string Text(byte[] p, int at, int n, string location) => Encoding.UTF8.GetString(p, at, n);

    static InvalidDataException Unverifiable(string location, string what) =>
        new($"'{location}' is not a state-dict pickle this reader can check ({what}): refused (weights files are data, not code).");
}
