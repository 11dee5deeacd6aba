namespace StreamingBeam;

/// <summary>The decorators added for one provider interface, composed around the provider when an engine is built.</summary>
/// <typeparam name="T">The provider interface.</typeparam>
/// <remarks>The first decorator added is the outermost, as with Microsoft.Extensions.AI's <c>ChatClientBuilder</c>: it
/// sees each call first and its result last.</remarks>
internal sealed class ProviderPipeline<T>
    where T : class
{
    private readonly List<Func<T, IServiceProvider, T>> _decorators = [];

    public void Add(Func<T, IServiceProvider, T> decorator) => _decorators.Add(decorator);

    public T Build(T inner, IServiceProvider services, string builderMethod)
    {
        var provider = inner;
        for (var i = _decorators.Count - 1; i >= 0; i--)
        {
            provider = _decorators[i](provider, services)
                ?? throw new InvalidOperationException(
                    $"The decorator added by {builderMethod} (number {i + 1} of {_decorators.Count}) returned null instead of an {typeof(T).Name}.");
        }

        return provider;
    }
}
