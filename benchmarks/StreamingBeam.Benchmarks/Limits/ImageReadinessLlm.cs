namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Passes every call through and records, when a combine answers, that its lane is ready for its image: the
/// engine asks for the image with the combine's text the moment it has it.</summary>
internal sealed class ImageReadinessLlm(ILlmClient inner, ImageCallLog log) : DelegatingLlmClient(inner)
{
    public override async Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.CombineAsync(request, cancellationToken);
        log.Ready(response.Text);
        return response;
    }
}
