using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>An image generator that renders a real, small PNG from each prompt offline, with seeded latency and
/// optional fault injection.</summary>
/// <remarks>
/// <para>
/// The picture (a gradient sky, shapes and motifs in the colours the prompt names) is a pure function of the seed and
/// the prompt, so a run's images can be opened and compared. Each image's <see cref="GeneratedImage.Metadata"/> holds
/// the rendered <c>prompt</c>, which <see cref="SimulatedVisionScorer"/> reads, plus <c>seed</c>, <c>width</c>,
/// <c>height</c> and <c>simulated</c> (<see langword="true"/>).
/// </para>
/// <para>Bad output (fault injection) is a <see langword="null"/> image or an image with neither bytes nor a URI.
/// All members are thread-safe.</para>
/// </remarks>
public sealed class SimulatedImageGenerator : IImageGenerator
{
    /// <summary>The URI scheme of images that <see cref="SimulatedImageGeneratorOptions.RenderImages"/> turned off leaves without bytes.</summary>
    public const string UriScheme = "simulated";

    private static readonly SimulatedOperation[] Operations = [SimulatedOperation.GenerateImage];

    private readonly SimulationCore _core;
    private readonly decimal _costPerImage;
    private readonly int _width;
    private readonly int _height;
    private readonly bool _render;

    /// <summary>Initializes a new instance of the <see cref="SimulatedImageGenerator"/> class.</summary>
    /// <param name="seed">The seed every draw derives from. Generators with the same seed and options behave identically.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied: later changes have no effect.</param>
    /// <param name="timeProvider">The clock latencies wait on, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the rule.</exception>
    public SimulatedImageGenerator(long seed, SimulatedImageGeneratorOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new SimulatedImageGeneratorOptions();
        options.Validate();
        _core = new SimulationCore(nameof(SimulatedImageGenerator), seed, options, Operations, timeProvider);
        _costPerImage = options.CostPerImage;
        _width = options.Width;
        _height = options.Height;
        _render = options.RenderImages;
    }

    /// <summary>Gets the seed every draw derives from.</summary>
    public long Seed => _core.Seed;

    /// <summary>Gets how many calls this provider refused with <see cref="ProviderRateLimitedException"/> (HTTP 429)
    /// because its <see cref="SimulatedProviderOptions.Quota"/> was used up: the 429s its callers received.</summary>
    /// <value>0 without a quota. Thread-safe; it only grows.</value>
    public long RateLimitedCalls => _core.RateLimitedCalls;

    /// <inheritdoc/>
    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _core.RunAsync(SimulatedOperation.GenerateImage, RequestKeys.OfImagePrompt(prompt), (Generator: this, Prompt: prompt),
            static (s, key) => s.Generator.Render(s.Prompt, key), Invalid, cancellationToken);
    }

    /// <summary>Gets how long <see cref="GenerateAsync"/> waits for <paramref name="prompt"/>, without calling it.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The latency of the first call with this prompt.</returns>
    public TimeSpan GetLatency(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _core.GetLatency(SimulatedOperation.GenerateImage, RequestKeys.OfImagePrompt(prompt));
    }

    // Bad output on purpose: the contract says a null image fails the candidate, and this is how tests provoke it.
    private static GeneratedImage Invalid(ulong key) => key % 2 == 0 ? null! : new GeneratedImage();

    private GeneratedImage Render(string prompt, ulong key)
    {
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RequestKeys.PromptMetadataKey] = prompt,
            ["seed"] = Seed,
            ["width"] = _width,
            ["height"] = _height,
            ["simulated"] = true,
        };
        var usage = new ProviderUsage(0, 0, 1, _costPerImage);
        if (!_render)
        {
            return new GeneratedImage
            {
                Uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"{UriScheme}:image/{key:x16}.png")),
                Metadata = metadata,
                Usage = usage,
            };
        }

        var pixels = ImageRenderer.Render(prompt, key, _width, _height);
        return new GeneratedImage
        {
            Data = PngEncoder.EncodeRgb(pixels, _width, _height),
            MediaType = "image/png",
            Metadata = metadata,
            Usage = usage,
        };
    }
}
