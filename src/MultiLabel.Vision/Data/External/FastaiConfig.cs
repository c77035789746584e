using Microsoft.Extensions.Configuration;
using MultiLabel.Native.Files;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// fastai's own settings file, <c>$FASTAI_HOME/config.ini</c> (<c>~/.fastai</c> by default): where archives are kept
/// (<c>archive</c>) and extracted (<c>data</c>). Relative paths are relative to the home folder, as fastcore's
/// <c>Config.path</c> reads them, so a machine that already has fastai's cache is used as it is.
/// </summary>
public sealed record FastaiConfig(string Home, string Archive, string Data, string Model, string Storage)
{
    /// <summary>The environment variable fastai reads for its home folder.</summary>
    public const string HomeVariable = "FASTAI_HOME";

    /// <summary>The settings fastai writes when it finds no file: relative to the home folder.</summary>
    static readonly (string Key, string Value)[] Defaults = [("data", "data"), ("archive", "archive"), ("storage", "tmp"), ("model", "models")];

    /// <summary>The file's path.</summary>
    public string File => Path.Combine(Home, "config.ini");

    /// <summary>The home folder: <c>$FASTAI_HOME</c>, else <c>~/.fastai</c>.</summary>
    public static string HomeFolder() =>
        ExpandHome(Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home : "~/.fastai");

    /// <summary>Reads fastai's <c>config.ini</c>, or writes one as fastai would (its <c>[DEFAULT]</c> section with the
    /// default folders) when there is none. Keys missing from an existing file take fastai's defaults.</summary>
    public static FastaiConfig Load()
    {
        var home = HomeFolder();
        var file = Path.Combine(home, "config.ini");
        var values = Defaults.ToDictionary(d => d.Key, d => d.Value);
        if (System.IO.File.Exists(file))
        {
            IConfigurationRoot ini;
            try
            {
                using var stream = System.IO.File.OpenRead(file);
                ini = new ConfigurationBuilder().AddIniStream(stream).Build();
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{file} is not an INI file fastai could read: {e.Message}", e);
            }
            foreach (var key in values.Keys.ToList())
                if (ini[$"DEFAULT:{key}"] is { Length: > 0 } value) values[key] = value;
        }
        else
        {
            // Microsoft.Extensions.Configuration only reads INI files; these five lines are what Python's ConfigParser
            // writes for fastcore's Config, so fastai reads the file back unchanged.
            var text = "[DEFAULT]\n" + string.Concat(Defaults.Select(d => $"{d.Key} = {d.Value}\n")) + "\n";
            AtomicFile.WriteAllBytes(file, System.Text.Encoding.UTF8.GetBytes(text));
        }
        string PathOf(string key) => Path.GetFullPath(Path.Combine(home, ExpandHome(values[key])));
        return new FastaiConfig(home, PathOf("archive"), PathOf("data"), PathOf("model"), PathOf("storage"));
    }

    static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
