using Microsoft.Extensions.AI;
using StreamingBeam;
using StreamingBeam.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers StreamingBeam's <see cref="ILlmClient"/> and <see cref="IVisionScorer"/> over the
/// <see cref="IChatClient"/> registrations already in a service collection.</summary>
/// <remarks>
/// <para>
/// Each method registers a singleton that resolves its chat client when it is first resolved itself, so the chat
/// client may be registered before or after the call (for example with <c>services.AddChatClient(...)</c> from
/// Microsoft.Extensions.AI, which also layers logging, telemetry or caching onto it). Overloads taking a
/// <c>chatClientKey</c> resolve a keyed chat client, so the LLM and the vision scorer can use different models.
/// </para>
/// <para>
/// Options are configured and validated when the method is called, so a bad template fails at startup, not on the
/// first search.
/// </para>
/// </remarks>
public static class ChatClientProviderServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="ChatClientLlm"/> as the singleton <see cref="ILlmClient"/>, over the
    /// <see cref="IChatClient"/> registered in <paramref name="services"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    public static IServiceCollection AddChatClientLlm(this IServiceCollection services, Action<ChatClientLlmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Configure(configure);
        return services.AddSingleton<ILlmClient>(sp => new ChatClientLlm(ResolveChatClient(sp, null, nameof(AddChatClientLlm)), options));
    }

    /// <summary>Registers a <see cref="ChatClientLlm"/> as the singleton <see cref="ILlmClient"/>, over the keyed
    /// <see cref="IChatClient"/> registered in <paramref name="services"/> under <paramref name="chatClientKey"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="chatClientKey">The key the chat client is registered under.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="chatClientKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    public static IServiceCollection AddChatClientLlm(this IServiceCollection services, object chatClientKey, Action<ChatClientLlmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(chatClientKey);
        var options = Configure(configure);
        return services.AddSingleton<ILlmClient>(sp => new ChatClientLlm(ResolveChatClient(sp, chatClientKey, nameof(AddChatClientLlm)), options));
    }

    /// <summary>Registers a <see cref="ChatClientVisionScorer"/> as the singleton <see cref="IVisionScorer"/>, over the
    /// <see cref="IChatClient"/> registered in <paramref name="services"/>, whose model must accept images.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    public static IServiceCollection AddChatClientVisionScorer(this IServiceCollection services, Action<ChatClientVisionScorerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Configure(configure);
        return services.AddSingleton<IVisionScorer>(sp => new ChatClientVisionScorer(ResolveChatClient(sp, null, nameof(AddChatClientVisionScorer)), options));
    }

    /// <summary>Registers a <see cref="ChatClientVisionScorer"/> as the singleton <see cref="IVisionScorer"/>, over the
    /// keyed <see cref="IChatClient"/> registered in <paramref name="services"/> under <paramref name="chatClientKey"/>,
    /// whose model must accept images.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="chatClientKey">The key the chat client is registered under.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="chatClientKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    public static IServiceCollection AddChatClientVisionScorer(this IServiceCollection services, object chatClientKey, Action<ChatClientVisionScorerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(chatClientKey);
        var options = Configure(configure);
        return services.AddSingleton<IVisionScorer>(sp => new ChatClientVisionScorer(ResolveChatClient(sp, chatClientKey, nameof(AddChatClientVisionScorer)), options));
    }

    private static ChatClientLlmOptions Configure(Action<ChatClientLlmOptions>? configure)
    {
        var options = new ChatClientLlmOptions();
        configure?.Invoke(options);

        // Validates now, so a bad template fails at registration; the adapter copies the result again.
        return options.CloneValidated();
    }

    private static ChatClientVisionScorerOptions Configure(Action<ChatClientVisionScorerOptions>? configure)
    {
        var options = new ChatClientVisionScorerOptions();
        configure?.Invoke(options);
        return options.CloneValidated();
    }

    private static IChatClient ResolveChatClient(IServiceProvider services, object? key, string method)
    {
        var client = key is null ? services.GetService<IChatClient>() : services.GetKeyedService<IChatClient>(key);
        return client ?? throw new InvalidOperationException(key is null
            ? $"{method} needs an {nameof(IChatClient)} registered in the service collection, and none is. Register one first, for example with services.AddChatClient(...) from Microsoft.Extensions.AI."
            : $"{method} needs an {nameof(IChatClient)} registered in the service collection under the key '{key}', and none is. Register one first, for example with services.AddKeyedChatClient(...) from Microsoft.Extensions.AI.");
    }
}
