using System.Globalization;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Logging.Abstractions;
using StreamingBeam.Beam.Internal;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Checkpoints;

/// <summary>What saving a candidate's progress costs with <see cref="FileBeamCheckpointStore"/>, at N 9 and N 900: one
/// iteration's journal, a header and, per candidate, the records a search appends (two expansions, a combined prompt,
/// a 16 KB image, two scores). The claim: the cost per candidate is flat in N, because a save only
/// appends and never rewrites what is already saved.</summary>
/// <remarks>
/// <c>OneAppendPerRecord</c> is the worst case, a real search whose providers answer one at a time: every record is
/// serialized and appended on its own (open, write at the end, close). <c>Journal</c> goes through the engine's writer,
/// with every record queued at once, so it groups them (up to 256 per append), as it does when providers answer faster
/// than the disk. Both include the header write (one file create and rename per operation).
/// </remarks>
[Config(typeof(Config))]
public class CheckpointSaveBenchmarks
{
    public const int RecordsPerCandidate = 6;

    private const int ImageBytes = 16 * 1024;

    private string _directory = null!;
    private FileBeamCheckpointStore _store = null!;
    private HeaderRecord _header = null!;
    private JournalRecord[] _records = null!;

    /// <summary>Gets or sets the number of candidates of the iteration.</summary>
    [Params(9, 900)]
    public int N { get; set; } = 9;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "streamingbeam-bench-" + Guid.NewGuid().ToString("N"));
        _store = new FileBeamCheckpointStore(_directory);
        _header = new HeaderRecord
        {
            CheckpointId = "bench",
            Prompt = "a lighthouse on a rocky coast at dawn",
            Options = new BeamSearchOptions { BeamWidth = N, KeepTop = Math.Max(1, N / 3), CheckpointId = "bench" },
            StartedAt = DateTimeOffset.UnixEpoch,
        };
        _records = IterationRecords(N);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The header alone (a file created and renamed over the last one): the fixed cost of a search's journal,
    /// which <c>us/candidate after the header</c> takes out of the other two.</summary>
    [Benchmark]
    public async Task<int> HeaderOnly()
    {
        await _store.CreateAsync("bench", JournalCodec.Encode(_header));
        return 0;
    }

    [Benchmark(Baseline = true)]
    public async Task<int> OneAppendPerRecord()
    {
        await _store.CreateAsync("bench", JournalCodec.Encode(_header));
        var one = new ReadOnlyMemory<byte>[1];
        foreach (var record in _records)
        {
            one[0] = JournalCodec.Encode(record);
            await _store.AppendAsync("bench", one);
        }

        return _records.Length;
    }

    [Benchmark]
    public async Task<int> Journal()
    {
        var events = Channel.CreateUnbounded<BeamEvent>();
        var journal = new SearchJournal(_store, "bench", _header, events.Writer, NullLogger.Instance);
        journal.Start();
        foreach (var record in _records)
        {
            journal.Append(record);
        }

        await journal.CompleteAsync(canceled: false, TimeSpan.Zero, TimeProvider.System);
        return _records.Length;
    }

    /// <summary>Reads the journal back: the smoke run checks that what was saved is what a resume would reuse.</summary>
    internal Task<BeamCheckpoint?> LoadAsync() => _store.LoadCheckpointAsync("bench").AsTask();

    /// <summary>The records one iteration of <paramref name="n"/> candidates appends, then its ranking.</summary>
    internal static JournalRecord[] IterationRecords(int n)
    {
        var random = new Random(20_240_601);
        var records = new List<JournalRecord>(n * RecordsPerCandidate);
        for (var i = 0; i < n; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"c0-{i}");
            var what = $"a weathered lighthouse on black rocks, variant {i}, waves breaking below, gulls overhead";
            var how = $"oil painting, warm dawn light, impasto texture, variant {i}, muted blue-gold palette";
            var data = new byte[ImageBytes];
            random.NextBytes(data);
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Expand, id, PromptDimension.What), new LlmResponse(what, new ProviderUsage(40, 60, 0, 0.0001m))));
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Expand, id, PromptDimension.How), new LlmResponse(how, new ProviderUsage(40, 60, 0, 0.0001m))));
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Combine, id, null), new LlmResponse(what + ", " + how, new ProviderUsage(120, 80, 0, 0.0002m))));
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Image, id, null), new GeneratedImage
            {
                Data = data,
                Metadata = new Dictionary<string, object?> { ["seed"] = 42L + i, ["width"] = 512, ["height"] = 512 },
                Usage = new ProviderUsage(0, 0, 1, 0.04m),
            }));
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Alignment, id, null), new VisionScore(0.5 + (i % 50 / 100.0), "matches the lighthouse and the dawn", new ProviderUsage(900, 40, 0, 0.001m))));
            records.Add(StepRecord.Answered(new StepKey(0, BeamStage.Aesthetic, id, null), new VisionScore(0.6, "balanced composition", new ProviderUsage(900, 40, 0, 0.001m))));
        }

        return [.. records];
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process and short: the operation is milliseconds to a second, and the whole class fits a few minutes.
            Add(BenchmarkConfigs.Create(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(8)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("CheckpointSave")));
            AddColumn(
                new CustomColumn("us/candidate", "Mean time per candidate (6 records, one a 16 KB image)",
                    (s, c) => Measured.MeanNs(s, c) is { } ns ? Measured.Us(ns / 1e3 / N(c)) : Measured.Missing, 0),
                new CustomColumn("median us/candidate", "Median time per candidate",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Us(ns / 1e3 / N(c)) : Measured.Missing, 1),
                new CustomColumn("us/candidate after the header", "(Mean - HeaderOnly's mean) / N: what each candidate adds",
                    (s, c) => Measured.MeanNs(s, c) is { } ns && Measured.Sibling(s, c, nameof(HeaderOnly)) is { } header && Measured.MeanNs(s, header) is { } h
                        ? Measured.Us((ns - h) / 1e3 / N(c)) : Measured.Missing, 2),
                new CustomColumn("B/candidate", "Bytes allocated per candidate",
                    (s, c) => Measured.AllocatedBytes(s, c) is { } b ? Measured.Bytes((double)b / N(c)) : Measured.Missing, 3));
        }

        private static int N(BenchmarkCase c) => Measured.Param<int>(c, nameof(CheckpointSaveBenchmarks.N));
    }
}
