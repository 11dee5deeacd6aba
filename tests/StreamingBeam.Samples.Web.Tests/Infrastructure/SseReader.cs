using System.Globalization;
using System.Text;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>Reads a Server-Sent Events response block by block (a block ends at a blank line), keeping the raw lines
/// so tests can check the framing itself.</summary>
internal sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>Reads the next block, or returns <see langword="null"/> at the end of the stream.</summary>
    public async Task<SseFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return lines.Count == 0 ? null : throw new InvalidDataException($"The stream ended inside a block: {string.Join(" | ", lines)}");
            }

            if (line.Length == 0)
            {
                if (lines.Count == 0)
                {
                    continue;
                }

                return Parse(lines);
            }

            lines.Add(line);
        }
    }

    /// <summary>Reads the next block that carries an event (skipping the opening <c>retry:</c> block).</summary>
    public async Task<SseFrame> ReadEventAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReadAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
            if (frame.Data is not null)
            {
                return frame;
            }
        }
    }

    /// <summary>Reads every remaining event until the server ends the stream.</summary>
    public async Task<List<SseFrame>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var frames = new List<SseFrame>();
        while (await ReadAsync(cancellationToken) is { } frame)
        {
            if (frame.Data is not null)
            {
                frames.Add(frame);
            }
        }

        return frames;
    }

    public void Dispose() => _reader.Dispose();

    private static SseFrame Parse(List<string> lines)
    {
        long? id = null, retry = null;
        string? type = null, data = null;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
                case "retry": retry = long.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new InvalidDataException($"Unexpected SSE field '{field}' in line '{line}'.");
            }
        }

        return new SseFrame(lines, id, type, data, retry);
    }
}
