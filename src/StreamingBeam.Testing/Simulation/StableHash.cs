using System.Buffers.Binary;
using System.Numerics;

namespace StreamingBeam.Testing;

/// <summary>A 64-bit hash that is the same in every process, on every platform and in every .NET version.</summary>
/// <remarks>
/// <see cref="string.GetHashCode()"/> is randomized per process, and <see cref="HashCode"/> per application domain,
/// so neither can make a benchmark's draws repeatable. Strings are hashed by character value (FNV-1a style), so
/// byte order does not matter; byte buffers are read as little-endian 64-bit words with a multiply-rotate step.
/// Every value is length-prefixed or fixed-width, so <c>("ab", "c")</c> and <c>("a", "bc")</c> hash differently.
/// </remarks>
internal struct StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong WordPrime1 = 0x9E3779B97F4A7C15UL;
    private const ulong WordPrime2 = 0xC2B2AE3D27D4EB4FUL;

    private ulong _state;

    private StableHash(ulong state) => _state = state;

    /// <summary>Starts a hash.</summary>
    public static StableHash Start() => new(FnvOffset);

    /// <summary>Starts a hash from an earlier hash value.</summary>
    public static StableHash Start(ulong previous) => new(FnvOffset ^ Mix(previous));

    public StableHash Add(ulong value)
    {
        _state = BitOperations.RotateLeft((_state ^ value) * WordPrime1, 29) * WordPrime2;
        return this;
    }

    public StableHash Add(long value) => Add(unchecked((ulong)value));

    public StableHash Add(int value) => Add(unchecked((ulong)(long)value));

    public StableHash Add(double value) => Add(unchecked((ulong)BitConverter.DoubleToInt64Bits(value)));

    public StableHash Add(string? value)
    {
        if (value is null)
        {
            return Add(ulong.MaxValue);
        }

        Add((ulong)value.Length);
        var h = _state;
        foreach (var c in value)
        {
            h = (h ^ c) * FnvPrime;
        }

        _state = h;
        return this;
    }

    public StableHash Add(ReadOnlySpan<byte> bytes)
    {
        Add((ulong)bytes.Length);
        var h = _state;
        var words = bytes.Length / 8;
        for (var i = 0; i < words; i++)
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8, 8));
            h = BitOperations.RotateLeft((h ^ (word * WordPrime1)), 31) * WordPrime2;
        }

        for (var i = words * 8; i < bytes.Length; i++)
        {
            h = (h ^ bytes[i]) * FnvPrime;
        }

        _state = h;
        return this;
    }

    /// <summary>Finishes the hash with an avalanche step, so that nearby inputs give unrelated values.</summary>
    public readonly ulong Finish() => Mix(_state);

    /// <summary>The splitmix64 finalizer: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 27;
        value *= 0x94D049BB133111EBUL;
        value ^= value >> 31;
        return value;
    }
}
