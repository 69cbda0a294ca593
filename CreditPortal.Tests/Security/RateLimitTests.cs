using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Identity.Pages;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Security;

/// <summary>The app with small API limits: a bucket of 8 requests per key refilled at 1 a second, 3 creations per window.</summary>
public sealed class RateLimitedApiApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:ApiBurst", "8");
        builder.UseSetting("RateLimits:ApiPerSecond", "1");
        builder.UseSetting("RateLimits:CreationsPerWindow", "3");
    }
}

/// <summary>Issue #12, "Rate limits": every throttled request gets 429 with Retry-After.</summary>
public sealed class RateLimitTests(RateLimitedApiApp app) : IClassFixture<RateLimitedApiApp>
{
    [Fact]
    public async Task TheApi_ThrottlesEachKeyOnItsOwn_With429ProblemAndRetryAfter_AndLimitsCreations()
    {
        using var support = app.Support();
        var accountId = await support.CreateAccountAsync("Busy sender");   // creation 1
        using var sender = app.As(await support.CreateKeyAsync(accountId)); // creation 2

        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 20 && throttled is null; i++)
        {
            var response = await sender.GetAsync($"api/v1/accounts/{accountId}/wallets/Email");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) throttled = response;
            else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.NotNull(throttled);
        Assert.Equal("application/problem+json", throttled!.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single()) >= 1);
        CreditPortal.Tests.Api.Api.AssertProblem(JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!, 429, code: "rate_limited");

        // Another key has its own bucket.
        await support.GetJsonAsync($"api/v1/accounts/{accountId}/wallets/Email");

        // Creations: the third is allowed, the fourth in the window is not.
        await support.PostJsonAsync($"api/v1/accounts/{accountId}/api-keys", """{"name":"third"}""");
        var fourth = await support.PostJsonAsync($"api/v1/accounts/{accountId}/api-keys", """{"name":"fourth"}""", HttpStatusCode.TooManyRequests);
        CreditPortal.Tests.Api.Api.AssertProblem(fourth, 429, code: "rate_limited");
        var keys = await support.GetJsonAsync($"api/v1/accounts/{accountId}/api-keys");
        Assert.DoesNotContain(keys.AsArray(), k => (string?)k!["name"] == "fourth");
    }
}

/// <summary>Login attempts per email and per IP address, on the real app.</summary>
public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task LoginAttemptsForOneEmail_AreLimited_AndTheThrottledFormSays429WithRetryAfter()
    {
        using var database = new TempDatabase("login-email-limit");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["RateLimits:LoginsPerEmail"] = "3",
            ["RateLimits:LoginWindow"] = "00:10:00",
        });
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await PortalLogin.PostLoginAsync(client, "victim@example.test", $"Guess#{i}aaaaaa")).StatusCode);

        var throttled = await PortalLogin.PostLoginAsync(client, "victim@example.test", "Guess#4aaaaaa");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single()) >= 1);
        var page = await throttled.Content.ReadAsStringAsync();
        Assert.Contains(Login.Throttled, page);
        Assert.Contains("name=\"Input.Email\"", page); // the login page itself, ready for a later try

        // Another email from the same address is still heard.
        Assert.Equal(HttpStatusCode.BadRequest, (await PortalLogin.PostLoginAsync(client, "someone@example.test", "Guess#5aaaaaa")).StatusCode);
    }

    [Fact]
    public async Task LoginAttemptsFromOneAddress_AreLimited_WhateverTheEmail()
    {
        using var database = new TempDatabase("login-ip-limit");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["RateLimits:LoginsPerIp"] = "4",
        });
        using var client = server.CreateClient();
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await PortalLogin.PostLoginAsync(client, $"user{i}@example.test", "Guess#1aaaaaa")).StatusCode);
        var throttled = await PortalLogin.PostLoginAsync(client, "user9@example.test", "Guess#1aaaaaa");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Retry-After", throttled.Headers.Select(h => h.Key));
    }
}

/// <summary>The app with 3 login attempts per email in the window.</summary>
public sealed class FewLoginsApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:LoginsPerEmail", "3");
    }
}

/// <summary>The password form checks the current password, so it counts against the same limit as the login form.</summary>
public sealed class PasswordChangeRateLimitTests(FewLoginsApp app) : IClassFixture<FewLoginsApp>
{
    [Fact]
    public async Task GuessingTheCurrentPassword_OnThePasswordForm_IsLimitedLikeLogins()
    {
        const string email = "guessed@limit.test";
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<CreditPortal.Identity.PortalUsers>().CreateSupportAsync(email, "Right#Pass2026")).Succeeded);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostLoginAsync(client, email, "Right#Pass2026")).StatusCode); // attempt 1

        for (var i = 0; i < 2; i++) // attempts 2 and 3
            Assert.Equal(HttpStatusCode.BadRequest, (await PortalLogin.PostPasswordChangeAsync(client, $"Guess#{i}aaaaaa", "New#Chosen2026")).StatusCode);
        var throttled = await PortalLogin.PostPasswordChangeAsync(client, "Right#Pass2026", "New#Chosen2026");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains(Login.Throttled, await throttled.Content.ReadAsStringAsync());
        Assert.True(throttled.Headers.Contains("Retry-After"));
    }
}
