using System.Net;
using System.Text.RegularExpressions;
using CreditPortal.Identity;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Security;

/// <summary>Issue #12, "Production start-up": the real app in the Production environment, started as an operator would.</summary>
public sealed partial class ProductionStartTests
{
    private static Dictionary<string, string> Production(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    [Fact]
    public async Task Production_WithTheDemoSeed_RefusesToStart_AndSaysWhy()
    {
        using var database = new TempDatabase("prod-seed");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PortalServer.StartAsync(database.ConnectionString, Production(("Demo:Seed", "true"))));
        Assert.Contains("refuses to start: Demo:Seed is true in Production", refused.Message);
        Assert.False(File.Exists(database.FilePath), "nothing was created");
    }

    [Fact]
    public async Task Production_WithTheManualClock_RefusesToStart_AndSaysWhy()
    {
        using var database = new TempDatabase("prod-clock");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalServer.StartAsync(database.ConnectionString,
            Production(("Clock:Mode", "Manual"), ("Clock:Start", "2026-11-10T09:00:00Z"))));
        Assert.Contains("refuses to start: Clock:Mode is Manual in Production", refused.Message);
    }

    [Fact]
    public async Task AConfiguredApiKeyShorterThan32Characters_IsRefused()
    {
        using var database = new TempDatabase("short-key");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalServer.StartAsync(database.ConnectionString,
            new Dictionary<string, string> { ["Bootstrap:SupportApiKey"] = "only-31-characters-long-key-xyz" }));
        Assert.Contains("Bootstrap:SupportApiKey is 31 characters long", refused.Message);
    }

    [Fact]
    public async Task AddSupportUser_PrintsAOneTimePassword_WhichMustBeReplacedAtFirstLogin()
    {
        using var database = new TempDatabase("add-support");
        var created = await AppCommand.RunAsync(database.ConnectionString, "Production", "add-support-user", "ops@provider.test", "--name", "Olivia Ops");
        Assert.True(created.ExitCode == 0, $"exit {created.ExitCode}: {created.Output}\n{created.Error}");
        var password = PasswordLine().Match(created.Output);
        Assert.True(password.Success, "a line of its own: password: …\n" + created.Output);
        var oneTime = password.Groups[1].Value;

        await using (var db = database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "ops@provider.test");
            Assert.True(user.MustChangePassword);
            Assert.Equal("Olivia Ops", user.DisplayName);
            var role = await db.Roles.SingleAsync(r => r.Name == PortalRoles.Support);
            Assert.True(await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && ur.RoleId == role.Id));
        }

        // The same email again: refused, nothing changed.
        var again = await AppCommand.RunAsync(database.ConnectionString, "Production", "add-support-user", "ops@provider.test");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.DoesNotContain("password:", again.Output);

        await using var server = await PortalServer.StartAsync(database.ConnectionString, Production());
        using var client = RawCookies.Client(server.BaseAddress, out var cookies);

        // The one-time password opens the password page and nothing else.
        var login = await PortalLogin.PostLoginAsync(client, "ops@provider.test", oneTime, "/support");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/account/password?returnUrl=%2Fsupport", PathOf(login));
        var support = await client.GetAsync("support");
        Assert.Equal(HttpStatusCode.Redirect, support.StatusCode);
        Assert.StartsWith("/account/password", PathOf(support));
        Assert.Contains("data-testid=\"password-change-due\"", await client.GetStringAsync("account/password?returnUrl=%2Fsupport"));

        // Production cookies: HttpOnly, SameSite=Strict and Secure, the login's and the antiforgery one alike.
        foreach (var name in new[] { "CreditPortal.Auth", "CreditPortal.Antiforgery" })
        {
            var header = cookies.SetCookies.Last(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("; secure", header);
            Assert.Contains("; samesite=strict", header);
            Assert.Contains("; httponly", header);
        }

        var weak = await PortalLogin.PostPasswordChangeAsync(client, oneTime, "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("at least 10 characters", await weak.Content.ReadAsStringAsync());

        var changed = await PortalLogin.PostPasswordChangeAsync(client, oneTime, "Olivia#Chose2026");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // Next for a support login: an authenticator app (TwoFactorTests goes on from here).
        var next = await client.GetAsync("support");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/two-factor", PathOf(next));

        // The one-time password is spent; the new one works.
        using var other = RawCookies.Client(server.BaseAddress, out _);
        Assert.Equal(HttpStatusCode.BadRequest, (await PortalLogin.PostLoginAsync(other, "ops@provider.test", oneTime)).StatusCode);
        var fresh = await PortalLogin.PostLoginAsync(other, "ops@provider.test", "Olivia#Chose2026");
        Assert.Equal("/", PathOf(fresh));
    }

    /// <summary>A redirect's target as a local path (Blazor's redirects are absolute, the cookie handler's relative).</summary>
    internal static string PathOf(HttpResponseMessage response)
        => response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location!.OriginalString;

    [GeneratedRegex(@"^password: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PasswordLine();
}
