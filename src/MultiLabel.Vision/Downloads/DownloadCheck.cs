using System.Security.Cryptography;

namespace MultiLabel.Vision.Downloads;

/// <summary>What a downloaded file must match before it is kept: checked while the bytes stream past, so a large archive
/// is read once.</summary>
public abstract record DownloadCheck
{
    /// <summary>torchvision's check: the file's SHA-256 starts with the hex digits its published name carries.</summary>
    public static DownloadCheck Sha256Prefix(string hexPrefix) => new Sha256PrefixCheck(hexPrefix.ToLowerInvariant());

    /// <summary>fastai's check (fastdownload's <c>path_stats</c>): the size in bytes and the MD5 of the first MiB only.</summary>
    public static DownloadCheck SizeAndMd5(long size, string md5OfFirstMiB) => new SizeAndMd5Check(size, md5OfFirstMiB.ToLowerInvariant());

    /// <summary>No check beyond the length the server announced.</summary>
    public static DownloadCheck None { get; } = new NoCheck();

    /// <summary>The size the file must have, when the check knows it (a server announcing another is refused at once).</summary>
    public virtual long? ExpectedSize => null;

    internal abstract Verifier Start();

    /// <summary>Fed every byte in order; <see cref="Mismatch"/> says what differs, or null.</summary>
    internal abstract class Verifier : IDisposable
    {
        public abstract void Append(ReadOnlySpan<byte> bytes);
        public abstract string? Mismatch(long length);
        public virtual void Dispose() { }
    }

    sealed record NoCheck : DownloadCheck
    {
        internal override Verifier Start() => new Nothing();
        sealed class Nothing : Verifier
        {
            public override void Append(ReadOnlySpan<byte> bytes) { }
            public override string? Mismatch(long length) => null;
        }
    }

    sealed record Sha256PrefixCheck(string Prefix) : DownloadCheck
    {
        internal override Verifier Start() => new Sha(Prefix);

        sealed class Sha(string prefix) : Verifier
        {
            readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            public override void Append(ReadOnlySpan<byte> bytes) => sha.AppendData(bytes);
            public override string? Mismatch(long length)
            {
                var hash = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
                return hash.StartsWith(prefix, StringComparison.Ordinal) ? null
                    : $"its SHA-256 {hash[..16]}… does not start with {prefix}, as its name says it must";
            }
            public override void Dispose() => sha.Dispose();
        }
    }

    sealed record SizeAndMd5Check(long Size, string Md5) : DownloadCheck
    {
        public override long? ExpectedSize => Size;
        internal override Verifier Start() => new FirstMiB(Size, Md5);

        sealed class FirstMiB(long size, string md5) : Verifier
        {
            const int OneMiB = 1 << 20;
            readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long hashed;

            public override void Append(ReadOnlySpan<byte> bytes)
            {
                int take = (int)Math.Min(bytes.Length, OneMiB - hashed);
                if (take <= 0) return;
                hash.AppendData(bytes[..take]);
                hashed += take;
            }

            public override string? Mismatch(long length)
            {
                var found = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
                if (length != size) return $"its size is {length:N0} bytes, expected {size:N0}";
                return found == md5 ? null : $"the MD5 of its first MiB is {found}, expected {md5}";
            }

            public override void Dispose() => hash.Dispose();
        }
    }

    /// <summary>fastdownload's <c>path_stats</c> of a file on disk: its size and the MD5 of its first MiB.</summary>
    public static (long Size, string Md5OfFirstMiB) Stats(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[Math.Min(file.Length, 1 << 20)];
        file.ReadExactly(head);
        return (file.Length, Convert.ToHexString(MD5.HashData(head)).ToLowerInvariant());
    }
}
