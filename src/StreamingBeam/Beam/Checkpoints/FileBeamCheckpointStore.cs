using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace StreamingBeam;

/// <summary>Keeps each search's checkpoint journal as a file of JSON lines, <c>{checkpointId}.jsonl</c>, in one directory.</summary>
/// <remarks>
/// <para>
/// <b>Format.</b> One record per line, in the order appended: the header first, then a record per provider call and per
/// ranking (see <see cref="IBeamCheckpointStore"/>). Creating a journal writes a temporary file beside the target and
/// renames it over the target, so an earlier journal under the id is replaced whole, never mixed. Appending writes the
/// new lines at the end of the file in one write, and never rewrites a byte before them: a save costs the same however
/// long the journal, and an image is written once.
/// </para>
/// <para>
/// <b>Crashes.</b> A line is complete once its line feed is written. A crash while appending can leave the last line cut
/// short: loading ignores it, and the next append overwrites it, so the journal reads as if that save had never started.
/// A line that is not a valid record anywhere else (or an empty line) is corruption, reported as
/// <see cref="BeamCheckpointException"/> when the journal is read. Saves survive a crash of the process; the file is not
/// flushed to the disk on every save, so a power loss can take the last ones. A checkpoint file of version 1
/// (<c>{checkpointId}.json</c>, before the journal) is reported as <see cref="BeamCheckpointException"/>, never silently
/// ignored. A UTF-8 byte-order mark is accepted.
/// </para>
/// <para>
/// <b>Ids.</b> A checkpoint id becomes a file name on every operating system, so the store accepts only the portable
/// safe set: 1 to <see cref="MaxCheckpointIdLength"/> ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not
/// starting with <c>.</c> (which also excludes <c>.</c> and <c>..</c>), and not a Windows device name
/// (<c>CON</c>, <c>PRN</c>, <c>AUX</c>, <c>NUL</c>, <c>COM0</c>-<c>COM9</c>, <c>LPT0</c>-<c>LPT9</c>, in any case,
/// alone or before a <c>.</c>). Ids that differ only in case share a file on a case-insensitive file system.
/// </para>
/// <para>
/// Records are System.Text.Json with source-generated metadata (trimming- and AOT-safe). Not saved:
/// <see cref="BeamRetryOptions.ShouldRetry"/> (a delegate; a resumed search uses the default rule) and image metadata
/// values other than strings, numbers, booleans and <see cref="System.Text.Json.JsonElement"/>s.
/// </para>
/// </remarks>
public sealed class FileBeamCheckpointStore : IBeamCheckpointStore
{
    /// <summary>The longest checkpoint id the store accepts: with the <c>.jsonl</c> suffix and a temporary file's suffix,
    /// the file name stays under the 255-character limit of common file systems.</summary>
    public const int MaxCheckpointIdLength = 200;

    private const byte LineFeed = (byte)'\n';

    private static readonly ReadOnlyMemory<byte> NewLine = new[] { LineFeed };

    private static readonly string Accepted = string.Create(
        CultureInfo.InvariantCulture,
        $"the file store accepts 1 to {MaxCheckpointIdLength} ASCII letters, digits, '-', '_' and '.', not starting with '.' and not a Windows device name");

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>Initializes a new instance of the <see cref="FileBeamCheckpointStore"/> class.</summary>
    /// <param name="directory">The directory of the journal files; created on the first save if missing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    public FileBeamCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Gets the full path of the directory that holds the journal files.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of the journal file of a checkpoint id.</summary>
    /// <param name="checkpointId">The id: see <see cref="IsValidCheckpointId"/>.</param>
    /// <returns>The file's full path, <c>{Directory}/{checkpointId}.jsonl</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpointId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> would not make a safe, portable file name.</exception>
    public string PathOf(string checkpointId)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        if (!IsValidCheckpointId(checkpointId, out var reason))
        {
            throw new ArgumentException($"The checkpoint id '{checkpointId}' cannot name a file: {reason}.", nameof(checkpointId));
        }

        return Path.Combine(Directory, checkpointId + ".jsonl");
    }

    /// <inheritdoc/>
    /// <remarks>Accepts 1 to <see cref="MaxCheckpointIdLength"/> ASCII letters, digits, <c>-</c>, <c>_</c> and
    /// <c>.</c>, not starting with <c>.</c> and not a Windows device name such as <c>CON</c> or <c>COM1</c>.</remarks>
    public bool IsValidCheckpointId(string checkpointId, [NotNullWhen(false)] out string? reason)
    {
        reason = FindProblem(checkpointId);
        return reason is null;
    }

    /// <inheritdoc/>
    public async ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await RandomAccess.WriteAsync(handle, [firstRecord, NewLine], 0, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Writes all <paramref name="records"/> with one write at the end of the journal's last complete line.</remarks>
    public async ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var path = PathOf(checkpointId);
        var buffers = new ReadOnlyMemory<byte>[records.Count * 2];
        for (var i = 0; i < records.Count; i++)
        {
            buffers[2 * i] = records[i];
            buffers[(2 * i) + 1] = NewLine;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BeamCheckpointException($"No checkpoint journal is saved under '{checkpointId}' to append to ('{path}' does not exist).", ex);
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            var end = EndOfLastLine(handle, length, path);
            await RandomAccess.WriteAsync(handle, buffers, end, cancellationToken).ConfigureAwait(false);
            var written = end + buffers.Sum(b => (long)b.Length);
            if (written < length)
            {
                // A cut-short line longer than what replaced it: drop what is left of it. (Disposing the stream closes
                // the handle; disposing a handle twice is harmless.)
                using var stream = new FileStream(handle, FileAccess.ReadWrite);
                stream.SetLength(written);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            var legacy = Path.ChangeExtension(path, ".json");
            if (File.Exists(legacy))
            {
                throw new BeamCheckpointException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The checkpoint file '{legacy}' was written in format version 1, before checkpoints became journals; this version of StreamingBeam reads version {BeamCheckpoint.CurrentFormatVersion} only ('{path}')."));
            }

            return null;
        }

        ReadOnlyMemory<byte> content = bytes;

        // Editors on Windows save UTF-8 with a byte-order mark, which the JSON reader rejects on bytes.
        if (content.Span.StartsWith(Utf8ByteOrderMark))
        {
            content = content[Utf8ByteOrderMark.Length..];
        }

        var lines = new List<ReadOnlyMemory<byte>>();
        while (content.Span.IndexOf(LineFeed) is var at and >= 0)
        {
            var line = content[..at];
            if (line.Span.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                throw new BeamCheckpointException(string.Create(
                    CultureInfo.InvariantCulture, $"The checkpoint file '{path}' has an empty line {lines.Count + 1}; a journal has one record per line."));
            }

            lines.Add(line);
            content = content[(at + 1)..];
        }

        // What follows the last line feed is a line a crash cut short: that save never completed.
        if (lines.Count == 0)
        {
            throw new BeamCheckpointException($"The checkpoint file '{path}' holds no complete line; its header is missing.");
        }

        return lines;
    }

    /// <summary>The offset just after the journal's last line feed: where the next record goes, over any line a crash
    /// cut short.</summary>
    private static long EndOfLastLine(SafeFileHandle handle, long length, string path)
    {
        Span<byte> chunk = stackalloc byte[4096];
        var end = length;
        while (end > 0)
        {
            var size = (int)Math.Min(chunk.Length, end);
            var read = RandomAccess.Read(handle, chunk[..size], end - size);
            var at = chunk[..read].LastIndexOf(LineFeed);
            if (at >= 0)
            {
                return end - size + at + 1;
            }

            end -= size;
        }

        throw new BeamCheckpointException($"The checkpoint file '{path}' holds no complete line; its header is missing.");
    }

    private static string? FindProblem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return Accepted + "; the id is empty";
        }

        if (id.Length > MaxCheckpointIdLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Accepted}; the id has {id.Length} characters");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Accepted}; the id contains U+{(int)c:X4}");
            }
        }

        if (id[0] == '.')
        {
            return Accepted + "; the id starts with '.'";
        }

        // Windows opens the device, not a file, for "CON" and for "CON.anything", whatever the case.
        var stem = id.Split('.')[0];
        if (DeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
        {
            return $"{Accepted}; '{stem}' is a Windows device name";
        }

        return null;
    }

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary file is harmless and never read.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
