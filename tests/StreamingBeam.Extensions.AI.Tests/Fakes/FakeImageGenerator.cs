using Microsoft.Extensions.AI;
using MeaiImageGenerator = Microsoft.Extensions.AI.IImageGenerator;

namespace StreamingBeam.Extensions.AI.Tests.Fakes;

/// <summary>A Microsoft.Extensions.AI image generator that records every call and answers with a canned response.</summary>
internal sealed class FakeImageGenerator : MeaiImageGenerator
{
    public ImageGenerationResponse Response { get; set; } = new([new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);

    public List<(ImageGenerationRequest Request, ImageGenerationOptions? Options, CancellationToken Token)> Calls { get; } = [];

    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Gets or sets what every call throws instead of answering, or <see langword="null"/> to answer.</summary>
    public Exception? Failure { get; set; }

    public ImageGeneratorMetadata? Metadata { get; set; }

    public async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add((request, options, cancellationToken));
        if (Gate is not null)
        {
            // A token that can never be canceled means the caller's token did not flow here: fail now instead of hanging.
            if (!cancellationToken.CanBeCanceled)
            {
                throw new InvalidOperationException("The caller's cancellation token did not reach the image generator.");
            }

            await Gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return Response;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ImageGeneratorMetadata) ? Metadata : null;

    public void Dispose()
    {
    }
}
