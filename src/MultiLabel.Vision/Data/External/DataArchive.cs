using MultiLabel.Vision.Downloads;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// A dataset published as one archive, as fastai's <c>URLs</c> names them: where it is, fastai's check of the file
/// (<c>download_checks.py</c>), and what the extracted folder must hold. <c>ExternalData.UntarData</c> downloads,
/// checks and extracts it into fastai's folders.
/// </summary>
/// <param name="Name">fastai's name for it (<c>PASCAL_2007</c>), used in messages.</param>
/// <param name="Address">where it is downloaded from.</param>
/// <param name="Check">what the downloaded file must match.</param>
/// <param name="Layout">what the extracted folder must contain (null: anything).</param>
public sealed record DataArchive(string Name, Uri Address, DownloadCheck Check, DataLayout? Layout = null)
{
    /// <summary>The archive's file name (<c>pascal_2007.tgz</c>): its name in fastai's <c>archive</c> folder.</summary>
    public string FileName => Path.GetFileName(Address.AbsolutePath);

    /// <summary>The extracted folder's name (<c>pascal_2007</c>): the file name without <c>.tgz</c>, <c>.tar.gz</c> or
    /// <c>.tar</c>, as fastdownload names it.</summary>
    public string FolderName
    {
        get
        {
            var name = FileName;
            foreach (var suffix in new[] { ".tar.gz", ".tgz", ".tar" })
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
            return Path.GetFileNameWithoutExtension(name);
        }
    }

    /// <summary>The size the check expects, when it knows one.</summary>
    public long? Size => Check.ExpectedSize;

    /// <summary>The address, as fastai's <c>URLs</c> constants are strings.</summary>
    public override string ToString() => Address.AbsoluteUri;
}
