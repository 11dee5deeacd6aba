using System.Globalization;
using System.Net;
using System.Text;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>Writes a search's images and an <c>index.html</c> gallery of every candidate, survivors marked.</summary>
internal sealed class GalleryWriter
{
    private readonly string _directory;
    private readonly List<BeamCandidate> _candidates = [];
    private readonly Dictionary<string, string> _failures = [];
    private readonly HashSet<string> _survivors = [];

    private const string Style = """
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;background:#111;color:#eee}
            h2{margin-top:2rem} .grid{display:flex;flex-wrap:wrap;gap:1rem}
            .card{width:260px;background:#1c1c1c;border:2px solid #333;border-radius:8px;padding:.5rem;font-size:.8rem}
            .card img{width:256px;height:256px;image-rendering:pixelated;border-radius:4px}
            .survivor{border-color:#3c9} .best{border-color:#fc3;box-shadow:0 0 12px #fc3} .failed{border-color:#c33;opacity:.7}
            .total{font-size:1.2rem;font-weight:bold} .tag{display:inline-block;padding:0 .4rem;border-radius:4px;background:#3c9;color:#111}
            </style>
            """;

    public GalleryWriter(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    public string IndexPath => Path.Combine(_directory, "index.html");

    public async Task AddImageAsync(ImageGeneratedEvent e, CancellationToken cancellationToken)
    {
        if (!e.Image.Data.IsEmpty)
        {
            await File.WriteAllBytesAsync(ImagePath(e.CandidateId, e.Image.MediaType), e.Image.Data.ToArray(), cancellationToken);
        }
    }

    public void Add(BeamCandidate candidate) => _candidates.Add(candidate);

    public void AddFailure(CandidateFailedEvent e) => _failures[e.CandidateId] = $"{e.Stage}: {e.Exception.Message}";

    public void MarkSurvivors(IterationCompletedEvent e)
    {
        foreach (var survivor in e.Survivors)
        {
            _survivors.Add(SurvivorKey(e.Iteration, survivor.Id));
        }
    }

    public async Task WriteIndexAsync(string prompt, BeamSearchResult result, string cost, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        html.Append(c, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>StreamingBeam: {Encode(prompt)}</title>
            {Style}
            </head><body>
            <h1>{Encode(prompt)}</h1>
            <p>Best: <b>{result.Best.Id}</b>, total {result.Best.Total:0.000}; stopped: {result.StopReason} after {result.Iterations} iterations
            in {result.Elapsed.TotalSeconds:0.00} s; {Encode(cost)}.</p>
            """);

        foreach (var iteration in _candidates.Select(x => x.Iteration).Concat(_failures.Keys.Select(IterationOf)).Distinct().Order())
        {
            html.Append(c, $"<h2>Iteration {iteration}</h2><div class=\"grid\">");
            foreach (var candidate in _candidates.Where(x => x.Iteration == iteration).OrderByDescending(x => x.Total))
            {
                var survivor = _survivors.Contains(SurvivorKey(iteration, candidate.Id));
                var cls = candidate.Id == result.Best.Id ? "card best" : survivor ? "card survivor" : "card";
                html.Append(c, $"""
                    <div class="{cls}"><img src="{Path.GetFileName(ImagePath(candidate.Id, candidate.Image.MediaType))}" alt="{candidate.Id}">
                    <div><b>{candidate.Id}</b>{(candidate.ParentId is null ? "" : $" from {candidate.ParentId}")} {(survivor ? "<span class=\"tag\">survivor</span>" : "")}</div>
                    <div class="total">{candidate.Total:0.000}</div>
                    <div>alignment {candidate.Alignment:0.000} · aesthetic {candidate.Aesthetic:0.000}</div>
                    <p><b>WHAT</b> {Encode(candidate.What)}</p><p><b>HOW</b> {Encode(candidate.How)}</p>
                    <p><b>Prompt</b> {Encode(candidate.CombinedPrompt)}</p>
                    {(candidate.Critique is null ? "" : $"<p><b>Critique ({candidate.RefinedDimension})</b> {Encode(candidate.Critique)}</p>")}
                    </div>
                    """);
            }

            foreach (var (id, reason) in _failures.Where(f => IterationOf(f.Key) == iteration).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                html.Append(c, $"<div class=\"card failed\"><b>{id}</b> failed<p>{Encode(reason)}</p></div>");
            }

            html.Append("</div>");
        }

        html.Append("</body></html>\n");
        await File.WriteAllTextAsync(IndexPath, html.ToString(), cancellationToken);
    }

    private static string SurvivorKey(int iteration, string id) => string.Create(CultureInfo.InvariantCulture, $"{iteration}/{id}");

    private static int IterationOf(string candidateId) =>
        int.Parse(candidateId.AsSpan(1, candidateId.IndexOf('-', StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private string ImagePath(string candidateId, string mediaType) =>
        Path.Combine(_directory, candidateId + (mediaType == "image/jpeg" ? ".jpg" : ".png"));
}
