using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using StreamingBeam.Beam.Internal;

namespace StreamingBeam;

/// <summary>Keeps each search's last checkpoint as a JSON file, <c>{checkpointId}.json</c>, in one directory.</summary>
/// <remarks>
/// <para>
/// A save writes a temporary file beside the target and renames it over the target, so a crash mid-write leaves the
/// previous checkpoint intact, never half a file. Reading a file that is not a valid checkpoint, or one written in
/// another <see cref="BeamCheckpoint.FormatVersion"/>, throws <see cref="BeamCheckpointException"/> naming the file:
/// a search is never silently restarted from scratch.
/// </para>
/// <para>
/// <b>Ids.</b> A checkpoint id becomes a file name on every operating system, so the store accepts only the portable
/// safe set: 1 to <see cref="MaxCheckpointIdLength"/> ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not
/// starting with <c>.</c> (which also excludes <c>.</c> and <c>..</c>), and not a Windows device name
/// (<c>CON</c>, <c>PRN</c>, <c>AUX</c>, <c>NUL</c>, <c>COM0</c>-<c>COM9</c>, <c>LPT0</c>-<c>LPT9</c>, in any case,
/// alone or before a <c>.</c>). Ids that differ only in case share a file on a case-insensitive file system.
/// </para>
/// <para>
/// A loaded checkpoint is validated before it is returned (null or empty fields, an iteration the options do not
/// allow, negative counts or usage): a file that passes JSON parsing but cannot be resumed is a
/// <see cref="BeamCheckpointException"/> naming the file and every broken field. A UTF-8 byte-order mark is accepted.
/// </para>
/// <para>
/// Serialization uses System.Text.Json with source-generated metadata (trimming- and AOT-safe). Not saved:
/// <see cref="BeamRetryOptions.ShouldRetry"/> (a delegate; a resumed search uses the default rule) and image metadata
/// values other than strings, numbers and booleans (read back as <see cref="JsonElement"/>).
/// </para>
/// </remarks>
public sealed class FileBeamCheckpointStore : IBeamCheckpointStore
{
    /// <summary>The longest checkpoint id the store accepts: with the <c>.json</c> suffix and a temporary file's suffix,
    /// the file name stays under the 255-character limit of common file systems.</summary>
    public const int MaxCheckpointIdLength = 200;

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
    /// <param name="directory">The directory of the checkpoint files; created on the first save if missing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    public FileBeamCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Gets the full path of the directory that holds the checkpoint files.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of the file a checkpoint id is saved to.</summary>
    /// <param name="checkpointId">The id: see <see cref="IsValidCheckpointId"/>.</param>
    /// <returns>The file's full path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpointId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> would not make a safe, portable file name.</exception>
    public string PathOf(string checkpointId)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        if (!IsValidCheckpointId(checkpointId, out var reason))
        {
            throw new ArgumentException($"The checkpoint id '{checkpointId}' cannot name a file: {reason}.", nameof(checkpointId));
        }

        return Path.Combine(Directory, checkpointId + ".json");
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
    public async ValueTask SaveAsync(BeamCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = PathOf(checkpoint.CheckpointId);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, checkpoint, BeamCheckpointJsonContext.Default.BeamCheckpoint, cancellationToken)
                    .ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
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
    public async ValueTask<BeamCheckpoint?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        if (!File.Exists(path))
        {
            return null;
        }

        int? version;
        string shownVersion;
        BeamCheckpoint? checkpoint;
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);

            // Editors on Windows save UTF-8 with a byte-order mark, which the JSON reader rejects on bytes.
            ReadOnlyMemory<byte> json = bytes;
            if (json.Span.StartsWith(Utf8ByteOrderMark))
            {
                json = json[Utf8ByteOrderMark.Length..];
            }

            // Parsed once: the version is read first so that another version's shape is reported as such, not as
            // a deserialization error, and the same document is then bound to the checkpoint.
            using var document = JsonDocument.Parse(json);
            (version, shownVersion) = ReadVersion(document.RootElement);
            checkpoint = version == BeamCheckpoint.CurrentFormatVersion
                ? document.Deserialize(BeamCheckpointJsonContext.Default.BeamCheckpoint)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            // Whatever the reader throws for a file it cannot bind is a checkpoint that cannot be read.
            throw new BeamCheckpointException($"The checkpoint file '{path}' is not a valid checkpoint: {ex.Message}", ex);
        }

        if (version != BeamCheckpoint.CurrentFormatVersion)
        {
            throw new BeamCheckpointException(string.Create(
                CultureInfo.InvariantCulture,
                $"The checkpoint file '{path}' has format version {shownVersion}; this version of StreamingBeam reads version {BeamCheckpoint.CurrentFormatVersion} only."));
        }

        if (checkpoint is null || checkpoint.CheckpointId != checkpointId)
        {
            throw new BeamCheckpointException(
                $"The checkpoint file '{path}' does not hold the checkpoint '{checkpointId}' (it names '{checkpoint?.CheckpointId}').");
        }

        BeamCheckpointValidator.Validate(checkpoint, $"The checkpoint file '{path}'");
        return checkpoint;
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

    /// <summary>Reads the format version: a JSON number that is an <see cref="int"/>. Any other value (a string, null,
    /// a boolean, an object) is reported, never thrown as the reader's own exception.</summary>
    private static (int? Version, string Shown) ReadVersion(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("formatVersion", out var version))
        {
            return (null, "(none)");
        }

        return version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var value)
            ? (value, value.ToString(CultureInfo.InvariantCulture))
            : (null, version.ValueKind == JsonValueKind.Number ? version.GetRawText() : $"of JSON type {version.ValueKind} (a number is expected)");
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
