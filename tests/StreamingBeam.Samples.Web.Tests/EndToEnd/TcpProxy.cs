using System.Net;
using System.Net.Sockets;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>A loopback TCP proxy in front of the app, so a test can cut the browser off as a network would: reset
/// every open connection and refuse new ones (<see cref="GoDown"/>) until <see cref="ComeBack"/>.</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _down;

    public TcpProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Gets how many connections were refused while down: a browser that retries shows up here.</summary>
    public int Refused { get; private set; }

    public void GoDown()
    {
        _down = true;
        List<TcpClient> open;
        lock (_lock)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var client in open)
        {
            Reset(client);
        }
    }

    public void ComeBack() => _down = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        GoDown();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            // A client its pump already disposed has no socket left (Client is null): nothing to reset.
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0); // RST, as a dropped network does
            }
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its pump.
        }

        client.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient browser;
            try
            {
                browser = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_down)
            {
                Refused++;
                Reset(browser);
                continue;
            }

            _ = PumpAsync(browser);
        }
    }

    private async Task PumpAsync(TcpClient browser)
    {
        var app = new TcpClient();
        lock (_lock)
        {
            _open.Add(browser);
            _open.Add(app);
        }

        Task[] copies = [];
        try
        {
            await app.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            var fromBrowser = browser.GetStream();
            var fromApp = app.GetStream();
            copies = [fromBrowser.CopyToAsync(fromApp, _stop.Token), fromApp.CopyToAsync(fromBrowser, _stop.Token)];
            await Task.WhenAny(copies);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A torn connection is what this class is for.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(browser);
                _open.Remove(app);
            }

            Reset(browser);
            Reset(app);

            // The other direction fails once its socket is gone; observe it so nothing is left unobserved.
            await Task.WhenAll(copies).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
