using System.Collections.Immutable;

namespace MultiLabel.Vision.Training;

/// <summary>
/// fastai's <c>defaults.callbacks</c>: callbacks that every new <see cref="Learner"/> gets. A host registers a factory
/// once (the notebook extension adds its live progress display this way), so <c>learn.FineTune(3)</c> in a cell shows
/// what the magic command shows. A factory may return null to skip a learner.
/// </summary>
public static class LearnerDefaults
{
    static ImmutableArray<Func<Learner, Callback?>> factories = [];

    /// <summary>The registered factories, in the order they were added.</summary>
    public static IReadOnlyList<Func<Learner, Callback?>> CallbackFactories => factories;

    /// <summary>Gives every learner created from now on the callback <paramref name="factory"/> makes for it.</summary>
    public static void AddCallback(Func<Learner, Callback?> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ImmutableInterlocked.Update(ref factories, list => list.Add(factory));
    }

    /// <summary>Stops giving new learners <paramref name="factory"/>'s callback (learners already made keep theirs).</summary>
    public static void RemoveCallback(Func<Learner, Callback?> factory) =>
        ImmutableInterlocked.Update(ref factories, list => list.Remove(factory));
}
