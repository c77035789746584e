using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;
using SixLabors.ImageSharp;
using Xunit;

namespace MultiLabel.Interactive.PackageTests;

/// <summary><c>scripts/pack.sh --release</c> as a maintainer runs it, in a clone of this commit whose origin is a public
/// GitHub URL: what the gallery shows (README, icon, licence, URLs), symbols that SourceLink maps to the commit's files,
/// paths mapped for deterministic builds, and the checks that refuse a release from the wrong checkout.</summary>
public sealed class PublishReadinessTests
{
    const string Origin = "https://github.com/multilabel-example/MultiLabel.Interactive.git";
    static readonly string[] Packages = ["MultiLabel.Native", "MultiLabel.Vision", "MultiLabel.Views", "MultiLabel.Interactive"];
    static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void A_release_carries_what_the_gallery_shows_and_symbols_that_point_at_the_commit()
    {
        using var temp = new TempFolder();
        var clone = Clone(temp.File("release"), Origin);
        var version = File.ReadAllText(Path.Combine(clone, "VERSION")).Trim();
        var commit = ChildProcess.Check("git", ["rev-parse", "HEAD"], clone).Trim();

        var output = ChildProcess.Check("bash", [Path.Combine(clone, "scripts", "pack.sh"), "--release", "--no-kernel-check"], clone, TimeSpan.FromMinutes(20));

        Assert.Equal(version, LocalPackageFeed.VersionIn(output));
        foreach (var id in Packages)
        {
            using var package = ZipFile.OpenRead(Path.Combine(clone, "artifacts", "packages", $"{id}.{version}.nupkg"));
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => nuspec.Elements().Single(e => e.Name.LocalName == name).Value;
            var repository = nuspec.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal(version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.Equal("icon.png", Field("icon"));
            Assert.Equal(Origin[..^".git".Length], Field("projectUrl"));
            Assert.Equal(Origin, (string?)repository.Attribute("url"));
            Assert.Equal(commit, (string?)repository.Attribute("commit"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")));
            Assert.Equal(File.ReadAllText(Path.Combine(clone, "src", id, "README.md")), Read(package, "README.md"));
            Assert.StartsWith("MIT License", Read(package, "LICENSE"));
            using (var icon = package.GetEntry("icon.png")!.Open())
            {
                var info = Image.Identify(icon);
                Assert.Equal((128, 128), (info.Width, info.Height));
            }
            // Every dependency on another of these packages is on the same version.
            Assert.All(nuspec.Descendants().Where(e => e.Name.LocalName == "dependency" && ((string?)e.Attribute("id"))!.StartsWith("MultiLabel.", StringComparison.Ordinal)),
                d => Assert.Equal(version, (string?)d.Attribute("version")));

            using var symbols = ZipFile.OpenRead(Path.Combine(clone, "artifacts", "packages", $"{id}.{version}.snupkg"));
            var pdb = ReadPdb(symbols, $"lib/net10.0/{id}.pdb");
            var (pdbPath, pdbId) = CodeView(package, $"lib/net10.0/{id}.dll");
            Assert.Equal($"/_/src/{id}/obj/Release/net10.0/{id}.pdb", pdbPath); // mapped: no path of the machine that built it
            Assert.Equal(pdbId, pdb.Id);                                            // the symbols are this assembly's
            Assert.All(pdb.Documents, d => Assert.StartsWith("/_/", d));
            Assert.Contains($"/_/src/{id}/", pdb.Documents.First(d => d.EndsWith(".cs", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal)));
            using var map = JsonDocument.Parse(pdb.SourceLink);
            Assert.Equal($"https://raw.githubusercontent.com/multilabel-example/MultiLabel.Interactive/{commit}/*",
                map.RootElement.GetProperty("documents").GetProperty("/_/*").GetString());
        }
    }

    [Fact]
    public void Two_clones_in_different_folders_build_the_same_assembly()
    {
        using var temp = new TempFolder();
        var dlls = new[] { temp.File("a"), temp.File("b/longer/path") }.Select(folder =>
        {
            var clone = Clone(folder, Origin);
            ChildProcess.Check("dotnet", ["pack", "src/MultiLabel.Native", "-c", "Release", "-o", Path.Combine(clone, "out"), "-p:ContinuousIntegrationBuild=true", "--nologo", "-v", "quiet"], clone, TimeSpan.FromMinutes(10));
            using var package = ZipFile.OpenRead(Directory.GetFiles(Path.Combine(clone, "out"), "MultiLabel.Native.*.nupkg").Single());
            using var dll = new MemoryStream();
            package.GetEntry("lib/net10.0/MultiLabel.Native.dll")!.Open().CopyTo(dll);
            return dll.ToArray();
        }).ToList();

        Assert.True(dlls[0].AsSpan().SequenceEqual(dlls[1]), "the two builds differ");
    }

    [Theory]
    [InlineData(null, "origin is '")]                                    // a clone of a local folder: SourceLink has no public URL
    [InlineData(Origin, "the working tree has changes")]
    public void A_release_is_refused_from_a_checkout_it_cannot_describe(string? origin, string expected)
    {
        using var temp = new TempFolder();
        var clone = Clone(temp.File("refused"), origin);
        if (origin is not null) File.AppendAllText(Path.Combine(clone, "VERSION"), "\n");

        var (exitCode, output) = LocalPackageFeed.RunWithExitCode("bash", [Path.Combine(clone, "scripts", "pack.sh"), "--release"], clone);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, output);
        Assert.False(Directory.Exists(Path.Combine(clone, "artifacts", "packages")), "packed anyway");
    }

    static string Clone(string folder, string? origin)
    {
        ChildProcess.Check("git", ["clone", "--quiet", MultiLabel.Testing.RepositoryRoot.Path, folder], null);
        if (origin is not null) ChildProcess.Check("git", ["remote", "set-url", "origin", origin], folder);
        return folder;
    }

    static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    sealed record Pdb(BlobContentId Id, IReadOnlyList<string> Documents, string SourceLink);

    static Pdb ReadPdb(ZipArchive zip, string name)
    {
        using var bytes = new MemoryStream();
        zip.GetEntry(name)!.Open().CopyTo(bytes);
        bytes.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(bytes);
        var reader = provider.GetMetadataReader();
        var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        var sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation).Single(c => reader.GetGuid(c.Kind) == SourceLinkKind);
        return new Pdb(new BlobContentId(reader.DebugMetadataHeader!.Id), documents, System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(sourceLink.Value)));
    }

    static (string Path, BlobContentId Id) CodeView(ZipArchive zip, string name)
    {
        using var bytes = new MemoryStream();
        zip.GetEntry(name)!.Open().CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        var entry = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var codeView = pe.ReadCodeViewDebugDirectoryData(entry);
        return (codeView.Path, new BlobContentId(codeView.Guid, entry.Stamp));
    }
}
