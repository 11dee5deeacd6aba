namespace StreamingBeam;

/// <summary>Names a shared, expensive artifact of an extraction run (a depth map, a segmentation) and its type.</summary>
/// <typeparam name="T">The artifact's type.</typeparam>
/// <remarks>Keys compare by name; two keys with the same name refer to the same artifact.</remarks>
public sealed class ArtifactKey<T> : IEquatable<ArtifactKey<T>>
{
    /// <summary>Initializes a new instance of the <see cref="ArtifactKey{T}"/> class.</summary>
    /// <param name="name">The artifact's name, unique within a run.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public ArtifactKey(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the artifact's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public bool Equals(ArtifactKey<T>? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ArtifactKey<T>);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
