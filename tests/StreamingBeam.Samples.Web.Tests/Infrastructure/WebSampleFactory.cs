using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Samples.Web.Beam;
using StreamingBeam.Samples.Web.Extraction;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>Hosts the web sample in memory with fakes: a fake clock for the run registry's timers, and engine
/// factories the test controls.</summary>
internal sealed class WebSampleFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    public FakeTimeProvider Time { get; } = new();

    public IExtractionEngineFactory? Extraction { get; init; }

    public IBeamEngineFactory? Beam { get; init; }

    public RunRegistry Registry => Services.GetRequiredService<RunRegistry>();

    /// <summary>Waits until the registry keeps exactly <paramref name="count"/> runs (a socket's run is forgotten only
    /// after its closing handshake); bounded by the token.</summary>
    public async Task WaitForRunCountAsync(int count, CancellationToken cancellationToken)
    {
        while (Registry.Count != count)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public WebSampleFactory With(string key, string value)
    {
        _settings[$"WebSample:{key}"] = value;
        return this;
    }

    /// <summary>Serves the app on a real Kestrel socket at 127.0.0.1 on a free port, and returns its address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            if (Extraction is not null)
            {
                services.AddSingleton(Extraction);
            }

            if (Beam is not null)
            {
                services.AddSingleton(Beam);
            }
        });
    }
}
