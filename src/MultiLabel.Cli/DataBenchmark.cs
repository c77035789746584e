using System.Diagnostics;
using MultiLabel.Vision.Data.Loading;
using MultiLabel.Vision.Imaging;

namespace MultiLabel.Cli;

/// <summary>
/// `multilabel bench-data`: images per second of the data pipeline's CPU half (decode + item transform + collate), with
/// one worker and with all cores, with and without reduced JPEG decoding, and from the presize cache; each figure also
/// as a ratio to plain full-resolution decoding on as many threads. A PASCAL-style folder (train.csv) gets the
/// multi-label chapter's RandomResizedCrop(size, 0.35); a BIWI folder (01..24) the keypoint chapter's size, a
/// Resize to 240×320 (the book resizes BIWI's 640×480 frames on the GPU with aug_transforms(size=(240,320)); here the
/// resize is the loader's, so that the figure compares with a DataLoader that resizes in its workers).
/// </summary>
static class DataBenchmark
{
    public static int Run(Options options)
    {
        MultiLabel.Native.TorchRuntime.Initialize();
        var folder = options.Text("data", Path.Combine("datasets", "scenes-quick"));
        int size = options.Int("size", 128), batch = options.Int("batch", 64), batches = options.Int("batches", 12), cores = options.Int("workers", Environment.ProcessorCount);
        var data = BenchData.Open(folder, size);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var (w0, h0) = ImageDecoder.Identify(data.Files[0]);
        Console.WriteLine($"data {name}: {data.Files.Count} images, first {w0}×{h0}, {data.Transform}, batch {batch}, {Environment.ProcessorCount} cores");
        int count = Math.Min(data.Files.Count, batch * batches);
        var files = data.Files.Take(count).ToArray();
        foreach (var f in files) File.ReadAllBytes(f); // warm the page cache: measure decoding, not the disk
        // Warm-up (JIT, decoder tables, thread pool) so the first figure is not penalised.
        foreach (var f in files.Take(128)) { ImageDecoder.Load(f).Dispose(); DecodeReducedOrFull(f, data.Floor); }
        Collate(data.Loader(count, batch, cores, fast: true, cache: false));

        foreach (var workers in new[] { 1, cores }.Distinct())
        {
            double raw = Rate(count, () => System.Threading.Tasks.Parallel.ForEach(files, Threads(workers), f => ImageDecoder.Load(f).Dispose()));
            Console.WriteLine($"data {name} decode-full workers={workers}: {raw:F0} img/s");
            double reduced = Rate(count, () => System.Threading.Tasks.Parallel.ForEach(files, Threads(workers), f => DecodeReducedOrFull(f, data.Floor)));
            Console.WriteLine($"data {name} decode-reduced workers={workers}: {reduced:F0} img/s ({reduced / raw:F2}x decode-full)");
            foreach (var fast in new[] { false, true })
            {
                var loader = data.Loader(count, batch, workers, fast, cache: false);
                double rate = Rate(loader.Count * batch, () => Collate(loader));
                Console.WriteLine($"data {name} pipeline{(fast ? "-reduced" : "-full")} workers={workers}: {rate:F0} img/s ({rate / raw:F2}x decode-full)");
            }
            // Rate's untimed first pass fills the cache.
            var cached = data.Loader(count, batch, workers, fast: true, cache: true);
            double fromCache = Rate(cached.Count * batch, () => Collate(cached));
            Console.WriteLine($"data {name} pipeline-cache workers={workers}: {fromCache:F0} img/s ({fromCache / raw:F2}x decode-full)");
        }
        return 0;

        static ParallelOptions Threads(int workers) => new() { MaxDegreeOfParallelism = workers };
    }

    /// <summary>What the loader does: a reduced JPEG decode when one keeps enough pixels, else a full decode.</summary>
    static void DecodeReducedOrFull(string file, DecodeFloor floor)
    {
        if (ReducedJpegDecoder.TryDecode(File.ReadAllBytes(file), floor, DecoderLimits.Default) is { } reduced) reduced.Image.Dispose();
        else ImageDecoder.Load(file).Dispose();
    }

    static void Collate(DataLoader loader)
    {
        var batches = loader.BatchPositions(loader.Epoch);
        for (int i = 0; i < batches.Count; i++) loader.Collate(i, batches[i], loader.Epoch);
    }

    /// <summary>Images per second of <paramref name="action"/>: the median of <see cref="Repetitions"/> timed passes after
    /// an untimed one. Each figure's code path gets its own warm-up (tiered JIT compiles a method for speed only after it
    /// has run a while, and a path first used in the timed pass would be measured half-compiled), and the median keeps a
    /// garbage collection in one pass from deciding the figure.</summary>
    static double Rate(int images, Action action)
    {
        action();
        var rates = new double[Repetitions];
        for (int i = 0; i < rates.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            rates[i] = images / clock.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[rates.Length / 2];
    }

    const int Repetitions = 5;
}
