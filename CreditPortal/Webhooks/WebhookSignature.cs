using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditPortal.Webhooks;

/// <summary>
/// How a delivery is signed, and how a receiver checks it (docs/api.md has the same as a snippet):
/// <c>CreditPortal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>. The timestamp is inside
/// what is signed, so an old delivery replayed later is refused by its age.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "CreditPortal-Signature";
    public const string EventIdHeader = "CreditPortal-Event-Id";
    public const string EventTypeHeader = "CreditPortal-Event-Type";

    /// <summary>How old a signature a receiver should accept (and what <see cref="Verify"/> checks).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public static string HeaderValue(string secret, long unixSeconds, ReadOnlySpan<byte> body)
        => $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, unixSeconds, body)}";

    /// <summary>What a receiver does: the header parses, its timestamp is within <see cref="Tolerance"/> of <paramref name="now"/>, and
    /// one <c>v1</c> equals the HMAC of this body (compared in constant time).</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header)) return false;
        long? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) t = seconds;
            else if (name == "v1") signatures.Add(value);
        }
        if (t is not { } at || signatures.Count == 0) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(at)).Duration() > Tolerance) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, at, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
