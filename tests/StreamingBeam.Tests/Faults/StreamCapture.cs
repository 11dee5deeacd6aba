namespace StreamingBeam.Tests.Faults;

/// <summary>Reads a stream to its end, or until the consumer has read a given number of items, and records how it ended
/// instead of throwing: the fault tests assert on the exception, not on the way it surfaced.</summary>
internal static class StreamCapture
{
    public static async Task<(List<T> Items, Exception? Error, bool Stopped)> ReadAsync<T>(IAsyncEnumerable<T> stream, int? stopAfter)
    {
        var items = new List<T>();
        try
        {
            await foreach (var item in stream)
            {
                items.Add(item);
                if (items.Count == stopAfter)
                {
                    return (items, null, true);
                }
            }

            return (items, null, false);
        }
#pragma warning disable CA1031 // The capture records whatever the stream threw; the test asserts on it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (items, ex, false);
        }
    }
}
