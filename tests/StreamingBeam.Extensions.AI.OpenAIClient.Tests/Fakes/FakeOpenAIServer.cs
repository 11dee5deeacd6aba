using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StreamingBeam.Extensions.AI.OpenAIClient.Tests.Fakes;

/// <summary>An OpenAI-compatible server on a free loopback port: every request is recorded, and answered by
/// <see cref="Reply"/> (status, JSON body, headers), so a test says exactly what the service does.</summary>
internal sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];

    private FakeOpenAIServer(WebApplication app) => _app = app;

    /// <summary>Gets or sets how the server answers a request; by default 200 with a chat completion.</summary>
    public Func<RecordedRequest, FakeReply> Reply { get; set; } = _ => FakeReply.Chat("{\"prompt\": \"ok\"}");

    /// <summary>Gets the base address to give the OpenAI client (ends in /v1).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.Single();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, await reader.ReadToEndAsync());
        lock (_requests)
        {
            _requests.Add(request);
        }

        var reply = Reply(request);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(reply.Body);
    }
}

internal sealed record RecordedRequest(string Method, string Path, string Body);

/// <summary>One answer of the fake server.</summary>
internal sealed record FakeReply(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    /// <summary>A chat completion whose message is <paramref name="content"/>, with token usage.</summary>
    public static FakeReply Chat(string content, string model = "gpt-test", int promptTokens = 120, int completionTokens = 30) => new(
        200,
        $$$"""
        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "{{{model}}}",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": {{{JsonSerializer.Serialize(content)}}}}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": {{{promptTokens}}}, "completion_tokens": {{{completionTokens}}}, "total_tokens": {{{promptTokens + completionTokens}}}}}
        """,
        NoHeaders);

    /// <summary>A streamed chat completion (server-sent events): the content in one chunk, then a last chunk with usage
    /// and no choices, as OpenAI sends it when asked to include usage.</summary>
    public static FakeReply ChatStream(string content, string model = "gpt-test", int promptTokens = 120, int completionTokens = 30)
    {
        var chunk = $$$"""{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "{{{model}}}", "choices": [{"index": 0, "delta": {"role": "assistant", "content": {{{JsonSerializer.Serialize(content)}}}}, "finish_reason": "stop"}]}""";
        var usage = $$$"""{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "{{{model}}}", "choices": [], "usage": {"prompt_tokens": {{{promptTokens}}}, "completion_tokens": {{{completionTokens}}}, "total_tokens": {{{promptTokens + completionTokens}}}}}""";
        return new(200, $"data: {chunk}\n\ndata: {usage}\n\ndata: [DONE]\n\n", new Dictionary<string, string> { ["Content-Type"] = "text/event-stream" });
    }

    /// <summary>A JSON body as given, with status 200.</summary>
    public static FakeReply Json(string body) => new(200, body, NoHeaders);

    /// <summary>An image generation with one PNG.</summary>
    public static FakeReply Image() => new(200, """{"created": 1700000000, "data": [{"b64_json": "iVBORw0KGgo="}]}""", NoHeaders);

    /// <summary>An OpenAI error answer.</summary>
    public static FakeReply Error(int status, string message, string code, IReadOnlyDictionary<string, string>? headers = null) => new(
        status,
        $$$"""{"error": {"message": {{{JsonSerializer.Serialize(message)}}}, "type": "{{{code}}}", "param": null, "code": "{{{code}}}"}}""",
        headers ?? NoHeaders);
}
