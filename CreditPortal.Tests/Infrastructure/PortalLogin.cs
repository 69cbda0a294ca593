using System.Text.RegularExpressions;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>Logs in through the real login form: GET for the antiforgery token, then POST it back.</summary>
public static partial class PortalLogin
{
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        var form = await client.GetStringAsync("account/login");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "the login page carries an antiforgery token");
        return await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ReturnUrl"] = returnUrl,
        }));
    }

    /// <summary>Changes the signed-in login's password through the real password form (GET for the token, then POST).</summary>
    public static async Task<HttpResponseMessage> PostPasswordChangeAsync(HttpClient client, string current, string next, string? confirm = null)
    {
        var form = await client.GetStringAsync("account/password");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "the password page carries an antiforgery token");
        return await client.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = confirm ?? next,
        }));
    }

    public static string? TokenIn(string html)
    {
        var match = AntiforgeryToken().Match(html);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
