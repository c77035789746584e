namespace MultiLabel.Testing;

/// <summary>
/// fastai's two chapter archives (<c>pascal_2007.tgz</c>, <c>biwi_head_pose.tgz</c>) in their published layouts, made
/// from the bundled data and served by a real HTTP server on 127.0.0.1, with a checks file: <see cref="Environment"/>
/// points <c>UntarData(Urls.Pascal2007)</c> and <c>UntarData(Urls.BiwiHeadPose)</c> at them and at a fresh FASTAI_HOME.
/// </summary>
sealed class ChapterArchiveServer : IDisposable
{
    readonly LocalHttpServer server;

    public ChapterArchiveServer(string folder, int? pascalRows = null, int? biwiFramesPerPerson = null)
    {
        var archives = new Dictionary<string, byte[]>
        {
            ["pascal_2007.tgz"] = TestArchives.Pascal(pascalRows),
            ["biwi_head_pose.tgz"] = TestArchives.Biwi(biwiFramesPerPerson),
        };
        server = new LocalHttpServer((request, response) =>
        {
            if (archives.TryGetValue(System.IO.Path.GetFileName(request.Url!.AbsolutePath), out var archive)) LocalHttpServer.Send(response, archive);
            else { response.StatusCode = 404; response.Close(); }
        }, "data");
        var checks = System.IO.Path.Combine(folder, "download_checks.json");
        File.WriteAllText(checks, TestArchives.ChecksJson(
            (new Uri("https://s3.amazonaws.com/fast-ai-imagelocal/pascal_2007.tgz"), archives["pascal_2007.tgz"]),
            (new Uri("https://s3.amazonaws.com/fast-ai-imagelocal/biwi_head_pose.tgz"), archives["biwi_head_pose.tgz"])));
        FastaiHome = System.IO.Path.Combine(folder, "fastai-home");
        Environment = new Dictionary<string, string?>
        {
            ["FASTAI_HOME"] = FastaiHome, ["MULTILABEL_DATA_URL"] = server.Root.ToString(), ["MULTILABEL_DOWNLOAD_CHECKS"] = checks,
        };
    }

    public string FastaiHome { get; }
    public IReadOnlyDictionary<string, string?> Environment { get; }
    public int Requests => server.Requests;

    public void Dispose() => server.Dispose();
}
