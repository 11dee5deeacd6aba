using System.Diagnostics.CodeAnalysis;
using StreamingBeam.Extensions.AI;
using MeaiImageGenerator = Microsoft.Extensions.AI.IImageGenerator;
using StreamingBeamImageGenerator = StreamingBeam.IImageGenerator;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers StreamingBeam's <see cref="StreamingBeamImageGenerator"/> over the Microsoft.Extensions.AI
/// <see cref="MeaiImageGenerator"/> registrations already in a service collection.</summary>
/// <remarks>
/// <para>Experimental, like Microsoft.Extensions.AI's image generation itself: see <see cref="ImageGeneratorAdapter"/>.</para>
/// <para>The adapter resolves its generator when it is first resolved itself, and options are validated when the method is called.</para>
/// </remarks>
// Each method carries [Experimental] as well as the class: the compiler does not report a class's attribute when one of
// its extension methods is called with extension syntax (services.AddImageGeneratorAdapter()).
[Experimental(DiagnosticIds.ExperimentalImageGeneration)]
public static class ImageGeneratorAdapterServiceCollectionExtensions
{
    /// <summary>Registers an <see cref="ImageGeneratorAdapter"/> as the singleton StreamingBeam
    /// <see cref="StreamingBeamImageGenerator"/>, over the Microsoft.Extensions.AI <see cref="MeaiImageGenerator"/>
    /// registered in <paramref name="services"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    [Experimental(DiagnosticIds.ExperimentalImageGeneration)]
    public static IServiceCollection AddImageGeneratorAdapter(this IServiceCollection services, Action<ImageGeneratorAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Configure(configure);
        return services.AddSingleton<StreamingBeamImageGenerator>(sp => new ImageGeneratorAdapter(ResolveGenerator(sp, null), options));
    }

    /// <summary>Registers an <see cref="ImageGeneratorAdapter"/> as the singleton StreamingBeam
    /// <see cref="StreamingBeamImageGenerator"/>, over the keyed Microsoft.Extensions.AI <see cref="MeaiImageGenerator"/>
    /// registered in <paramref name="services"/> under <paramref name="imageGeneratorKey"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="imageGeneratorKey">The key the image generator is registered under.</param>
    /// <param name="configure">Changes the default options, or <see langword="null"/> to keep them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="imageGeneratorKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are not valid; the message lists every problem.</exception>
    [Experimental(DiagnosticIds.ExperimentalImageGeneration)]
    public static IServiceCollection AddImageGeneratorAdapter(this IServiceCollection services, object imageGeneratorKey, Action<ImageGeneratorAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(imageGeneratorKey);
        var options = Configure(configure);
        return services.AddSingleton<StreamingBeamImageGenerator>(sp => new ImageGeneratorAdapter(ResolveGenerator(sp, imageGeneratorKey), options));
    }

    private static ImageGeneratorAdapterOptions Configure(Action<ImageGeneratorAdapterOptions>? configure)
    {
        var options = new ImageGeneratorAdapterOptions();
        configure?.Invoke(options);
        return options.CloneValidated();
    }

    private static MeaiImageGenerator ResolveGenerator(IServiceProvider services, object? key)
    {
        var generator = key is null ? services.GetService<MeaiImageGenerator>() : services.GetKeyedService<MeaiImageGenerator>(key);
        return generator ?? throw new InvalidOperationException(key is null
            ? $"{nameof(AddImageGeneratorAdapter)} needs a Microsoft.Extensions.AI.IImageGenerator registered in the service collection, and none is. Register one first, for example with services.AddImageGenerator(...) from Microsoft.Extensions.AI."
            : $"{nameof(AddImageGeneratorAdapter)} needs a Microsoft.Extensions.AI.IImageGenerator registered in the service collection under the key '{key}', and none is. Register one first, for example with services.AddKeyedImageGenerator(...) from Microsoft.Extensions.AI.");
    }
}
