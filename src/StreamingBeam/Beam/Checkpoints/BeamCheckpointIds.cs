namespace StreamingBeam;

/// <summary>Turns a store's answer to <see cref="IBeamCheckpointStore.IsValidCheckpointId"/> into the error of the
/// call that supplied the id.</summary>
internal static class BeamCheckpointIds
{
    /// <summary>How messages name <see cref="BeamSearchOptions.CheckpointId"/>.</summary>
    public const string SearchOptionsId = "options.CheckpointId";

    /// <summary>Throws when <paramref name="store"/> cannot use <paramref name="checkpointId"/>.</summary>
    /// <param name="store">The engine's checkpoint store.</param>
    /// <param name="checkpointId">The id.</param>
    /// <param name="paramName">The parameter that carried the id: <c>options</c> for
    /// <see cref="BeamSearchOptions.CheckpointId"/>, <c>checkpointId</c> for a resume.</param>
    /// <param name="idName">How the message names the id: <c>options.CheckpointId</c> or <c>checkpointId</c>.</param>
    /// <exception cref="ArgumentException">The store rejects the id; the message names <paramref name="idName"/>, the
    /// store's type and its reason.</exception>
    public static void ThrowIfInvalid(IBeamCheckpointStore store, string checkpointId, string paramName, string idName)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? reason;
        bool valid;
        try
        {
            valid = store.IsValidCheckpointId(checkpointId, out reason);
        }
        catch (ArgumentException ex)
        {
            (valid, reason) = (false, ex.Message);
        }

        if (!valid)
        {
            // The id is the caller's own input, quoted so they can find it; a store's id is not a prompt.
            throw new ArgumentException(
                $"{idName} '{Quote(checkpointId)}' cannot be used by the checkpoint store ({store.GetType().Name}): {reason ?? "no reason given"}.",
                paramName);
        }
    }

    /// <summary>Throws when <paramref name="store"/> cannot use the search's <see cref="BeamSearchOptions.CheckpointId"/>.</summary>
    /// <param name="store">The engine's checkpoint store.</param>
    /// <param name="options">The search's options (the snapshot); nothing is checked when it sets no id.</param>
    /// <exception cref="ArgumentException">The store rejects <see cref="BeamSearchOptions.CheckpointId"/>; names
    /// <c>options.CheckpointId</c> and the parameter <c>options</c>.</exception>
    public static void ThrowIfInvalid(IBeamCheckpointStore store, BeamSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CheckpointId is { } id)
        {
            ThrowIfInvalid(store, id, nameof(options), SearchOptionsId);
        }
    }

    private static string Quote(string? id) => id is { Length: > 80 }
        ? string.Concat(id.AsSpan(0, 80), $"... ({id.Length} characters)")
        : id ?? "(null)";
}
