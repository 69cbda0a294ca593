using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CreditPortal.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver for webhook tests: a Kestrel app on a loopback port, recording every request (path, headers, the raw
/// body) and answering per path with a status (200 unless told) after an optional delay. <see cref="ReservePort"/> gives a
/// port nobody listens on yet, so a test can point an endpoint at a receiver that is down, and start it there later.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string? EventId, string? EventType, string? Signature, byte[] Body, DateTimeOffset At)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _requests = new();

    /// <summary>Per path: the status to answer (default 200).</summary>
    public ConcurrentDictionary<string, int> Status { get; } = new();

    /// <summary>Per path: how long to wait before answering (a receiver that hangs).</summary>
    public ConcurrentDictionary<string, TimeSpan> Delay { get; } = new();

    public int Port { get; }

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public IReadOnlyList<Received> Requests => _requests.ToArray();
    public IReadOnlyList<Received> On(string path) => _requests.Where(r => r.Path == path).ToList();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public static int ReservePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<WebhookReceiver> StartAsync(int? port = null)
    {
        var chosen = port ?? ReservePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, chosen));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, chosen);
        app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var path = http.Request.Path.Value ?? "/";
            receiver._requests.Enqueue(new Received(path, http.Request.Headers[WebhookSignature.EventIdHeader].ToString(),
                http.Request.Headers[WebhookSignature.EventTypeHeader].ToString(), http.Request.Headers[WebhookSignature.Header].ToString(),
                body.ToArray(), DateTimeOffset.UtcNow));
            if (receiver.Delay.TryGetValue(path, out var delay))
            {
                try { await Task.Delay(delay, http.RequestAborted); } catch (OperationCanceledException) { return; }
            }
            http.Response.StatusCode = receiver.Status.TryGetValue(path, out var status) ? status : StatusCodes.Status200OK;
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
