using System.Text.Json;
using MultiLabel.Vision.Downloads;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// Checks that replace fastai's for some addresses, from a JSON file named by <see cref="Variable"/>, in the shape of
/// fastai's <c>download_checks.py</c>: <c>{"https://…/pascal_2007.tgz": [1637796771, "433b…"]}</c>. With
/// <see cref="ExternalData.MirrorVariable"/> it lets a mirror, or a test server, serve archives of its own.
/// </summary>
static class DownloadChecksFile
{
    public const string Variable = "MULTILABEL_DOWNLOAD_CHECKS";

    /// <summary>The archive with its check replaced when the file names its address.</summary>
    public static DataArchive Apply(DataArchive archive)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return archive;
        JsonElement checks;
        try
        {
            checks = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{Variable} names {path}, which is not a readable JSON object of checks: {e.Message}", e);
        }
        if (checks.ValueKind != JsonValueKind.Object || !checks.TryGetProperty(archive.Address.AbsoluteUri, out var check)) return archive;
        if (check.ValueKind != JsonValueKind.Array || check.GetArrayLength() != 2 || check[0].ValueKind != JsonValueKind.Number
            || check[1].GetString() is not { Length: 32 } md5)
            throw new InvalidDataException($"{path}: the check of {archive.Address} must be [size, \"md5 of the first MiB\"], found {check.GetRawText()}");
        return archive with { Check = DownloadCheck.SizeAndMd5(check[0].GetInt64(), md5) };
    }
}
