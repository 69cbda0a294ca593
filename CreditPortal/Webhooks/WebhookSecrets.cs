using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CreditPortal.Webhooks;

/// <summary>Endpoint secrets: made here, shown once, stored encrypted with the app's data-protection key ring (in the database, shared
/// by every instance), read back only to sign.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string Prefix = "whsec_";
    private readonly IDataProtector _protector = protection.CreateProtector("CreditPortal.Webhooks.EndpointSecret.v1");

    /// <summary>32 random bytes, base64url: the HMAC key a receiver is given.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string Protect(string secret) => _protector.Protect(secret);
    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
