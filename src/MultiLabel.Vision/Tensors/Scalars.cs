using TorchSharp;

namespace MultiLabel.Vision.Tensors;

/// <summary>
/// Scalars that live as long as the process. TorchSharp 0.107 frees a <see cref="Scalar"/> in its finalizer, and one made
/// implicitly for a call (the 0.5 in <c>t * 0.5</c>, the alpha of 1 that <c>a.add_(b)</c> makes inside TorchSharp) is
/// unreachable while the native call that reads it still runs: a collection at that moment frees it under the call and
/// training fails at random ("Unknown scalar type", "Expected false to be true"). The engine therefore passes Scalars
/// that are held for the whole call: these constants, or a <c>using var s = value.ToScalar()</c> for a value that varies.
/// A test reads the engine's IL and fails on any temporary Scalar.
/// </summary>
public static class Scalars
{
    /// <summary>0 as an integer Scalar.</summary>
    public static readonly Scalar Zero = 0.ToScalar();
    /// <summary>1 as an integer Scalar (the alpha of add and sub).</summary>
    public static readonly Scalar One = 1.ToScalar();
    /// <summary>−1 as an integer Scalar.</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar();
    /// <summary>255 as a float, to scale bytes to 0..1.</summary>
    public static readonly Scalar ByteMax = 255f.ToScalar();
}
