namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// A cookie jar that keeps every cookie the app sets, Secure ones included, and sends them back over plain HTTP. The
/// app's Production cookies are Secure, which .NET's own CookieContainer rightly never sends to http://127.0.0.1; a
/// TLS-terminating proxy would carry them to the app exactly like this. <see cref="SetCookies"/> keeps the raw headers
/// so a test can check each cookie's flags.
/// </summary>
public sealed class RawCookies : DelegatingHandler
{
    private readonly Dictionary<string, string> _jar = new(StringComparer.Ordinal);

    public RawCookies() : base(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { }

    /// <summary>Without an inner handler, for <c>WebApplicationFactory.CreateDefaultClient</c>, which chains it to the test server.</summary>
    private RawCookies(bool chained) { }

    public static RawCookies ForTestServer() => new(chained: true);

    /// <summary>Sends this cookie from now on (a cookie copied from another browser).</summary>
    public void Set(string name, string value) => _jar[name] = value;

    public List<string> SetCookies { get; } = [];

    public string? this[string name] => _jar.GetValueOrDefault(name);

    public static HttpClient Client(Uri baseAddress, out RawCookies jar)
    {
        jar = new RawCookies();
        return new HttpClient(jar) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => $"{c.Key}={c.Value}")));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var header in values)
            {
                SetCookies.Add(header);
                var pair = header.Split(';')[0];
                var at = pair.IndexOf('=');
                var (name, value) = (pair[..at].Trim(), pair[(at + 1)..].Trim());
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _jar.Remove(name);
                else _jar[name] = value;
            }
        }
        return response;
    }
}
