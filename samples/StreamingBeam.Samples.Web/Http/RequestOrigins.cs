using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;

namespace StreamingBeam.Samples.Web.Http;

/// <summary>Refuses requests that another website makes a browser send: a <c>Host</c> that is not one of this
/// server's names (DNS rebinding), and an <c>Origin</c> that is not this server's own page.</summary>
/// <remarks>
/// <para>Host: the loopback names (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) can never be an attacker's
/// domain, so they always pass; so do the hosts of the listen addresses (except wildcards such as <c>0.0.0.0</c>) and
/// <see cref="WebSampleOptions.AllowedHosts"/>. Anything else is <c>421</c>.</para>
/// <para>Origin: browsers send it on every POST and DELETE, every WebSocket handshake, and every cross-origin read,
/// including the "simple" <c>no-cors</c> requests that CORS never blocks from being sent. A request without one did not
/// come from another site's page (curl, scripts, same-origin GETs), so it passes. With one, it must be the server's own
/// origin or in <see cref="WebSampleOptions.AllowedOrigins"/>; else <c>403</c>.</para>
/// </remarks>
internal sealed class RequestOrigins
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private readonly RequestDelegate _next;
    private readonly IServer _server;
    private readonly bool _anyHost;
    private readonly bool _anyOrigin;
    private readonly HashSet<string> _configuredHosts;
    private readonly HashSet<string> _configuredOrigins;
    private HashSet<string>? _hosts;

    public RequestOrigins(RequestDelegate next, IServer server, IOptions<WebSampleOptions> options)
    {
        _next = next;
        _server = server;
        var settings = options.Value;
        _anyHost = settings.AllowedHosts.Contains("*");
        _anyOrigin = settings.AllowedOrigins.Contains("*");
        _configuredHosts = new HashSet<string>(settings.AllowedHosts.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        _configuredOrigins = new HashSet<string>(settings.AllowedOrigins.Select(Normalize).OfType<string>(), StringComparer.OrdinalIgnoreCase);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Host;
        if (!_anyHost && !Hosts().Contains(host))
        {
            return Problems.MisdirectedHost(host, Hosts()).ExecuteAsync(context);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !_anyOrigin && !IsOwnOrigin(origin, request) && !_configuredOrigins.Contains(Normalize(origin) ?? string.Empty))
        {
            return Problems.ForeignOrigin(origin, $"{request.Scheme}://{request.Host}").ExecuteAsync(context);
        }

        return _next(context);
    }

    /// <summary>Returns <c>scheme://host[:port]</c> in lower case without a default port, or <see langword="null"/> when
    /// <paramref name="origin"/> is not an origin (a path, a query, <c>null</c>).</summary>
    public static string? Normalize(string? origin)
    {
        if (!Uri.TryCreate(origin?.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}".ToLowerInvariant() : $"{uri.Scheme}://{uri.Host}:{uri.Port}".ToLowerInvariant();
    }

    private static bool IsOwnOrigin(string origin, HttpRequest request) =>
        Normalize(origin) is { } normalized
        && string.Equals(normalized, Normalize($"{request.Scheme}://{request.Host}"), StringComparison.OrdinalIgnoreCase);

    /// <summary>The names this server answers to; the listen addresses are only known once the server has started, so
    /// the set is built on the first request.</summary>
    private HashSet<string> Hosts()
    {
        if (_hosts is { } known)
        {
            return known;
        }

        var hosts = new HashSet<string>(LoopbackHosts, StringComparer.OrdinalIgnoreCase);
        hosts.UnionWith(_configuredHosts);
        foreach (var address in _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (ListenHost(address) is { } host)
            {
                hosts.Add(host);
            }
        }

        return _hosts = hosts;
    }

    private static string? ListenHost(string address)
    {
        var start = address.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? address : address[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = end <= 0 ? rest : rest[..end];

        // A wildcard listens on every interface and names none of them: such hosts must be listed in AllowedHosts.
        if (host is "*" or "+" or "" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))))
        {
            return null;
        }

        return host;
    }
}
