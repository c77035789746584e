using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MultiLabel.Interactive.Interrupts;

/// <summary>
/// Turns SIGINT into a call to <c>onInterrupt</c> for the rest of the process, instead of a shutdown.
/// .NET calls every handler registered for a signal, and the kernel host's console lifetime registered one that stops
/// the application on SIGINT, which is how Jupyter interrupts a kernel (its .NET kernelspec has no message-mode
/// interrupt, and the host ignores an interrupt_request while a cell runs). There is no public way to remove another
/// component's registration, so this takes the other SIGINT handlers out of the runtime's registration table (read by
/// reflection, known layouts only) and registers its own. SIGTERM, SIGQUIT and Jupyter's shutdown request still end
/// the kernel.
/// </summary>
static class SigIntAsCancel
{
    static PosixSignalRegistration? registration;

    /// <returns>False when the registration table is not where this .NET keeps it (SIGINT then behaves as before).</returns>
    public static bool Install(Action onInterrupt)
    {
        Action<PosixSignalContext> handler = context =>
        {
            context.Cancel = true;
            onInterrupt();
        };
        registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, handler);
        var table = typeof(PosixSignalRegistration).GetField("s_registrations", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as IDictionary;
        if (table is null) return false;
        lock (table)
        {
            foreach (var tokens in table.Values.OfType<IEnumerable>().ToList())
            {
                var others = tokens.Cast<object>().Where(t => Read(t, "Signal") is PosixSignal.SIGINT && !ReferenceEquals(Read(t, "Handler"), handler)).ToList();
                var remove = tokens.GetType().GetMethod("Remove", [others.FirstOrDefault()?.GetType() ?? typeof(object)]);
                foreach (var token in others) remove?.Invoke(tokens, [token]);
            }
        }
        return true;
    }

    static object? Read(object target, string name)
    {
        var type = target.GetType();
        const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        return type.GetProperty(name, any)?.GetValue(target) ?? type.GetField(name, any)?.GetValue(target)
            ?? type.GetField($"<{name}>k__BackingField", any)?.GetValue(target);
    }
}
