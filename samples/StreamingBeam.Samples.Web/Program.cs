using StreamingBeam.Samples.Web.Hosting;

// The web sample: beam search and atomic extraction streamed to a browser over Server-Sent Events and a WebSocket,
// on the simulated providers. See docs/web-sample.md.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddWebSample(builder.Configuration);

var app = builder.Build();
app.UseWebSample();
app.Run();

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
