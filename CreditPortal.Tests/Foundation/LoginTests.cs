using System.Net;
using CreditPortal.Demo;
using CreditPortal.Identity.Pages;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Foundation;

public sealed class LoginTests
{
    private static readonly Dictionary<string, string> Seeded = new() { ["Demo:Seed"] = "true" };

    [Fact]
    public async Task Seeded_owner_logs_in_and_sees_their_account()
    {
        using var database = new TempDatabase("login");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, Seeded);
        using var client = server.CreateClient();

        var response = await PortalLogin.PostLoginAsync(client, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace(server.BaseAddress.ToString(), "/"));

        var home = await client.GetStringAsync("");
        Assert.Contains("data-testid=\"home-account\"", home);
        Assert.Contains(DemoOptions.AccountName, home);
        Assert.Contains(DemoOptions.OwnerEmail, home);
    }

    [Fact]
    public async Task Wrong_password_fails_with_a_message_and_no_cookie()
    {
        using var database = new TempDatabase("wrongpw");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, Seeded);
        using var client = server.CreateClient();

        var response = await PortalLogin.PostLoginAsync(client, DemoOptions.OwnerEmail, "Not-the-password1!");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Login.Refused, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_login_even_against_the_right_password()
    {
        using var database = new TempDatabase("lockout");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, Seeded);
        using var client = server.CreateClient();

        for (var i = 0; i < 5; i++)
            await PortalLogin.PostLoginAsync(client, DemoOptions.SupportEmail, $"Wrong-password-{i}!");

        var response = await PortalLogin.PostLoginAsync(client, DemoOptions.SupportEmail, DemoOptions.SupportPassword);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The same words as any other refusal (issue #12): the form does not confirm that this email has a login.
        Assert.Contains(Login.Refused, await response.Content.ReadAsStringAsync());

        // An email with no login at all gets exactly that answer too.
        var unknown = await PortalLogin.PostLoginAsync(client, "nobody@demo.creditportal.local", DemoOptions.SupportPassword);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(Login.Refused, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task Demo_seed_is_idempotent_across_restarts()
    {
        using var database = new TempDatabase("seed");
        await using (var first = await PortalServer.StartAsync(database.ConnectionString, Seeded)) { }
        await using (var second = await PortalServer.StartAsync(database.ConnectionString, Seeded)) { }

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Accounts.CountAsync(a => a.Name == DemoOptions.AccountName));
        Assert.Equal(2, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Login_form_without_antiforgery_token_is_refused()
    {
        using var database = new TempDatabase("csrf");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, Seeded);
        using var client = server.CreateClient();
        var response = await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = DemoOptions.OwnerEmail,
            ["Input.Password"] = DemoOptions.OwnerPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task Logout_NeedsTheFormsAntiforgeryToken_EvenAsPlainText()
    {
        using var database = new TempDatabase("logout");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, Seeded);
        using var client = server.CreateClient();
        await PortalLogin.PostLoginAsync(client, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);

        // What a cross-site form with enctype="text/plain" would send: refused, still logged in.
        var forged = await client.PostAsync("account/logout", new StringContent("x=1", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("")).StatusCode);

        // The portal's own button posts the token from the page.
        var home = await client.GetStringAsync("");
        var token = PortalLogin.TokenIn(home);
        Assert.NotNull(token);
        var logout = await client.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token! }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("")).StatusCode);
    }
}
