using System.Net;
using CreditPortal.Clock;
using CreditPortal.Identity;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Security;

/// <summary>The app with a one-hour absolute session lifetime (and the default 30-minute idle timeout), manual clock.</summary>
public sealed class ShortSessionApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Sessions:AbsoluteLifetime", "01:00:00");
    }
}

/// <summary>Issue #12, "Sessions that end", over HTTP (the open-tab half is CreditPortal.E2E's SessionBrowserTests).</summary>
public sealed class SessionTests(ShortSessionApp app) : IClassFixture<ShortSessionApp>
{
    private const string Password = "Session#Pass2026";

    private async Task<string> CreateSupportLoginAsync()
    {
        var email = $"support.{Guid.NewGuid():N}@sessions.test";
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<PortalUsers>().CreateSupportAsync(email, Password, "Sam Session")).Succeeded);
        return email;
    }

    private HttpClient Browser(out RawCookies cookies)
    {
        cookies = RawCookies.ForTestServer();
        return app.CreateDefaultClient(cookies);
    }

    private async Task<(HttpClient Client, RawCookies Cookies)> LoggedInAsync(string email)
    {
        var client = Browser(out var cookies);
        var login = await PortalLogin.PostLoginAsync(client, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return (client, cookies);
    }

    private static async Task AssertSignedInAsync(HttpClient client) => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("support")).StatusCode);

    private static async Task AssertSentToLoginAsync(HttpClient client)
    {
        var response = await client.GetAsync("support");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logout_EndsTheSessionEverywhere_ACopiedCookieIncluded()
    {
        var email = await CreateSupportLoginAsync();
        var (first, firstCookies) = await LoggedInAsync(email);
        using var _ = first;
        using var copy = Browser(out var copyCookies);
        copyCookies.Set("CreditPortal.Auth", firstCookies["CreditPortal.Auth"]!);
        await AssertSignedInAsync(copy);

        var page = await first.GetStringAsync("support");
        var logout = await first.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalLogin.TokenIn(page)!,
        }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        await AssertSentToLoginAsync(copy);
        await AssertSentToLoginAsync(first);
    }

    [Fact]
    public async Task ASessionEnds_AfterItsAbsoluteLifetime_HoweverBusy()
    {
        var clock = app.Services.GetRequiredService<ManualTimeProvider>();
        var email = await CreateSupportLoginAsync();
        using var client = (await LoggedInAsync(email)).Client;

        // Used every 20 minutes, so the 30-minute idle timeout never strikes...
        clock.Advance(TimeSpan.FromMinutes(20));
        await AssertSignedInAsync(client);
        clock.Advance(TimeSpan.FromMinutes(20));
        await AssertSignedInAsync(client);
        // ...but 65 minutes after the login the one-hour absolute lifetime does.
        clock.Advance(TimeSpan.FromMinutes(25));
        await AssertSentToLoginAsync(client);
    }

    [Fact]
    public async Task ASessionEnds_AfterItsIdleTimeout()
    {
        var clock = app.Services.GetRequiredService<ManualTimeProvider>();
        var email = await CreateSupportLoginAsync();
        using var client = (await LoggedInAsync(email)).Client;
        await AssertSignedInAsync(client);

        clock.Advance(TimeSpan.FromMinutes(31));
        await AssertSentToLoginAsync(client);
    }

    [Fact]
    public async Task LockingALogin_EndsItsSession()
    {
        var email = await CreateSupportLoginAsync();
        using var client = (await LoggedInAsync(email)).Client;
        await AssertSignedInAsync(client);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        }
        await AssertSentToLoginAsync(client);
    }

    [Fact]
    public async Task LoginAndAntiforgeryCookies_AreHttpOnlyAndSameSiteStrict()
    {
        var email = await CreateSupportLoginAsync();
        var (client, cookies) = await LoggedInAsync(email);
        using var _ = client;
        foreach (var name in new[] { "CreditPortal.Auth", "CreditPortal.Antiforgery" })
        {
            var header = cookies.SetCookies.Last(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("; samesite=strict", header);
            Assert.Contains("; httponly", header);
        }
    }

    [Fact]
    public async Task SignedInPagesAndApiAnswers_AreNotStored_PublicFilesAre()
    {
        var email = await CreateSupportLoginAsync();
        using var client = (await LoggedInAsync(email)).Client;
        Assert.Contains("no-store", (await client.GetAsync("support")).Headers.CacheControl?.ToString());

        using var api = app.Support();
        Assert.Contains("no-store", (await api.GetAsync("api/v1/accounts")).Headers.CacheControl?.ToString());

        var css = await client.GetAsync("app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.DoesNotContain("no-store", css.Headers.CacheControl?.ToString() ?? "");
    }
}
