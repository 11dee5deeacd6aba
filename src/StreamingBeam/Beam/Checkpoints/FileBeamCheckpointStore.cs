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
/// Serialization uses System.Text.Json with source-generated metadata (trimming- and AOT-safe). Not saved:
/// <see cref="BeamRetryOptions.ShouldRetry"/> (a delegate; a resumed search uses the default rule) and image metadata
/// values other than strings, numbers and booleans (read back as <see cref="JsonElement"/>).
/// </para>
/// </remarks>
public sealed class FileBeamCheckpointStore : IBeamCheckpointStore
{
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
    /// <param name="checkpointId">The id: letters, digits, '-', '_' and '.', not starting with '.'.</param>
    /// <returns>The file's full path.</returns>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> would not make a plain file name.</exception>
    public string PathOf(string checkpointId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointId);
        if (checkpointId[0] == '.' || checkpointId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException(
                $"The checkpoint id '{checkpointId}' cannot name a file: use letters, digits, '-', '_' and '.', not starting with '.'.",
                nameof(checkpointId));
        }

        return Path.Combine(Directory, checkpointId + ".json");
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
        BeamCheckpoint? checkpoint;
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);

            // Parsed once: the version is read first so that another version's shape is reported as such, not as
            // a deserialization error, and the same document is then bound to the checkpoint.
            using var document = JsonDocument.Parse(bytes);
            version = ReadVersion(document.RootElement);
            checkpoint = version == BeamCheckpoint.CurrentFormatVersion
                ? document.Deserialize(BeamCheckpointJsonContext.Default.BeamCheckpoint)
                : null;
        }
        catch (JsonException ex)
        {
            throw new BeamCheckpointException($"The checkpoint file '{path}' is not a valid checkpoint: {ex.Message}", ex);
        }

        if (version != BeamCheckpoint.CurrentFormatVersion)
        {
            throw new BeamCheckpointException(string.Create(
                CultureInfo.InvariantCulture,
                $"The checkpoint file '{path}' has format version {version?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; this version of StreamingBeam reads version {BeamCheckpoint.CurrentFormatVersion} only."));
        }

        if (checkpoint is null || checkpoint.CheckpointId != checkpointId)
        {
            throw new BeamCheckpointException(
                $"The checkpoint file '{path}' does not hold the checkpoint '{checkpointId}' (it names '{checkpoint?.CheckpointId}').");
        }

        return checkpoint;
    }

    private static int? ReadVersion(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("formatVersion", out var version) && version.TryGetInt32(out var value)
            ? value
            : null;

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
