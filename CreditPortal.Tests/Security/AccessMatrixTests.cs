using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CreditPortal.Api;
using CreditPortal.Identity;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Security;

/// <summary>
/// Who may reach what, for every page and endpoint the app itself declares (its EndpointDataSource and its
/// routable components): anonymous, an owner of A acting on B, the owner on their own account, support.
/// The expected answer comes from each endpoint's metadata (AllowAnonymous, Authorize policy, API group,
/// SupportOnlyMetadata, an account id in the route). An endpoint the rules cannot place — anonymous but not on
/// the public list, or neither anonymous nor protected — fails the test, so a new page or endpoint is covered
/// the moment it exists.
/// </summary>
public sealed class AccessMatrixTests : IClassFixture<ApiTestApp>
{
    /// <summary>Reachable without login or key, on purpose. Adding an anonymous endpoint means adding it here.</summary>
    private static readonly HashSet<string> PublicByDesign =
    [
        "/health", "/health/ready", "/health/live", "/account/login", "/account/login/two-factor", "/account/access-denied", "/error", "/not-found",
        "/openapi/{documentName}.json", "/api/{**path}",
        "/api/v1/payments/stripe/webhook", // signed by Stripe (Payments:Stripe:WebhookSecret), not by an API key
        // The API reference page (Scalar) and its files: public like the document it shows.
        "/api/reference/{documentName?}", "/api/reference/scalar.js", "/api/reference/scalar.aspnetcore.js", "/api/reference/favicon.svg",
    ];

    private const long NoSuchAccount = 987_654;
    private readonly ApiTestApp _app;

    public AccessMatrixTests(ApiTestApp app) => _app = app;

    /// <param name="WebhookId">An endpoint of the account with one delivery (<paramref name="DeliveryId"/>); DELETE acts on
    /// <paramref name="VictimWebhookId"/>, so the other endpoints still find theirs.</param>
    /// <param name="HoldId">Issue #17: an active hold of the account.</param>
    private sealed record Party(long AccountId, long ListId, string Key, long VictimKeyId, string OwnerEmail, string SendKey, long ConsumptionId,
        long WebhookId, long VictimWebhookId, long DeliveryId, long HoldId);

    private enum Kind { StaticAsset, BlazorInfrastructure, FileFallback, Public, Page, CookieEndpoint, Api }

    private sealed record Target(RouteEndpoint Endpoint, string Method, Kind Kind, bool AccountScoped, bool SupportOnly, bool NeedsManage = false)
    {
        public string Pattern => Endpoint.RoutePattern.RawText!.StartsWith('/') ? Endpoint.RoutePattern.RawText! : "/" + Endpoint.RoutePattern.RawText;
        public override string ToString() => $"{Method} {Pattern}";
    }

    [Fact]
    public async Task EveryPageAndEndpoint_AnswersEachCallerAsItsMetadataSays()
    {
        var (targets, unplaced) = Discover();
        Assert.True(unplaced.Count == 0, "Endpoints the access rules cannot place (add a rule or make them protected):\n" + string.Join("\n", unplaced));
        Assert.Contains(targets, t => t.Kind == Kind.Page && t.AccountScoped);
        Assert.Contains(targets, t => t.Kind == Kind.Page && !t.AccountScoped);
        Assert.Contains(targets, t => t.Kind == Kind.Api && t.SupportOnly);
        Assert.True(targets.Count(t => t.Kind == Kind.Api && t.NeedsManage) >= 10, "the manage endpoints were discovered");
        Assert.Contains(targets, t => t.Kind == Kind.CookieEndpoint);
        Assert.True(targets.Count(t => t.Kind == Kind.Api) >= 25, "the API endpoints were discovered");
        Assert.True(targets.Count(t => t.Kind == Kind.Page) >= 10, "the pages were discovered");

        var a = await CreatePartyAsync("Matrix A");
        var b = await CreatePartyAsync("Matrix B");
        using var anonymous = _app.Anonymous();
        using var ownerA = await LoginAsync(a.OwnerEmail, OwnerPassword);
        using var support = await LoginAsync(await CreateSupportLoginAsync(), OwnerPassword);
        using var keyA = _app.As(a.Key);
        using var sendKeyA = _app.As(a.SendKey);
        using var supportKey = _app.Support();
        _supportVictimKeyId = (long)(await supportKey.SendJsonAsync(HttpMethod.Post, "/api/v1/support-keys", """{"name":"matrix victim"}""", HttpStatusCode.Created))["id"]!;

        var failures = new List<string>();
        async Task Expect(Target t, string who, HttpClient client, Party? on, Func<HttpResponseMessage, bool> ok, string expected)
        {
            var url = Url(t, on);
            using var request = new HttpRequestMessage(new HttpMethod(t.Method), url);
            if (t.Method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            if (!ok(response))
                failures.Add($"{t} as {who} on {url}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        }

        static bool ToLogin(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/account/login");
        static bool Is(HttpResponseMessage r, HttpStatusCode code) => r.StatusCode == code;
        static bool Served(HttpResponseMessage r) => (int)r.StatusCode is >= 200 and < 300;
        // The caller got through the door: success or a complaint about the (empty) input, never "who are you".
        static bool Admitted(HttpResponseMessage r) => (int)r.StatusCode is >= 200 and < 300 or 400 or 409 or 422;

        foreach (var t in targets)
        {
            switch (t.Kind)
            {
                case Kind.StaticAsset or Kind.BlazorInfrastructure:
                    break; // public files and the circuit's transport; the circuit itself runs as the cookie's user
                case Kind.FileFallback:
                    await Expect(t, "anonymous", anonymous, null, r => Is(r, HttpStatusCode.NotFound), "404");
                    break;
                case Kind.Public:
                    await Expect(t, "anonymous", anonymous, null, r => (int)r.StatusCode < 500 && !ToLogin(r) && r.StatusCode != HttpStatusCode.Unauthorized,
                        "an answer without login");
                    break;
                case Kind.Page:
                    await Expect(t, "anonymous", anonymous, a, ToLogin, "302 to the login page");
                    if (t.SupportOnly)
                    {
                        await Expect(t, "owner of A", ownerA, a, r => r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/account/access-denied"),
                            "302 to access denied");
                        await Expect(t, "support", support, a, Served, "200");
                    }
                    else if (t.AccountScoped)
                    {
                        await Expect(t, "owner of A on B", ownerA, b, r => Is(r, HttpStatusCode.NotFound), "404");
                        await Expect(t, "owner of A on A", ownerA, a, Served, "200");
                        await Expect(t, "support on B", support, b, Served, "200");
                    }
                    else
                    {
                        await Expect(t, "owner of A", ownerA, a, Served, "200");
                        await Expect(t, "support", support, a, Served, "200");
                    }
                    if (t.AccountScoped)
                        await Expect(t, "support on an unknown account", support, null, r => Is(r, HttpStatusCode.NotFound), "404");
                    break;
                case Kind.CookieEndpoint:
                    await Expect(t, "anonymous", anonymous, a, ToLogin, "302 to the login page");
                    if (t.AccountScoped)
                    {
                        await Expect(t, "owner of A on B", ownerA, b, r => Is(r, HttpStatusCode.NotFound), "404");
                        await Expect(t, "owner of A on A", ownerA, a, Admitted, "admitted");
                        await Expect(t, "support on B", support, b, Admitted, "admitted");
                    }
                    else
                    {
                        await Expect(t, "owner of A", ownerA, a, r => !ToLogin(r) && (int)r.StatusCode is not (401 or 403), "admitted");
                    }
                    break;
                case Kind.Api:
                    await Expect(t, "anonymous", anonymous, a, r => Is(r, HttpStatusCode.Unauthorized), "401");
                    await Expect(t, "owner's login cookie", ownerA, a, r => Is(r, HttpStatusCode.Unauthorized), "401 (the API takes keys only)");
                    if (t.AccountScoped)
                    {
                        await Expect(t, "key of A on B", keyA, b, r => Is(r, HttpStatusCode.NotFound), "404");
                        await Expect(t, "support key on an unknown account", supportKey, null, r => Is(r, HttpStatusCode.NotFound), "404");
                    }
                    await Expect(t, "key of A on A", keyA, a, t.SupportOnly ? r => Is(r, HttpStatusCode.Forbidden) : Admitted, t.SupportOnly ? "403" : "admitted");
                    // A sending key (the default scope) reaches the send endpoints only; a manage endpoint is 403 insufficient_scope.
                    await Expect(t, "send-only key of A on A", sendKeyA, a, t.SupportOnly || t.NeedsManage ? r => Is(r, HttpStatusCode.Forbidden) : Admitted,
                        t.SupportOnly || t.NeedsManage ? "403" : "admitted");
                    await Expect(t, "support key on B", supportKey, b, Admitted, "admitted");
                    break;
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} access rule(s) broken:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void EveryRoutablePage_IsAnEndpoint_AndEveryPageNeedsALoginUnlessPublicByDesign()
    {
        var (targets, _) = Discover();
        var pageRoutes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>().Select(r => (Type: t, r.Template)))
            .ToList();
        Assert.NotEmpty(pageRoutes);
        foreach (var (type, template) in pageRoutes)
        {
            var target = targets.FirstOrDefault(t => string.Equals(t.Pattern, template, StringComparison.OrdinalIgnoreCase));
            Assert.True(target is not null, $"{type.Name} ({template}) is not an endpoint");
            Assert.True(target!.Kind is Kind.Page or Kind.Public, $"{template} is {target.Kind}");
        }
    }

    private (List<Target> Targets, List<string> Unplaced) Discover()
    {
        var source = _app.Services.GetRequiredService<EndpointDataSource>();
        var targets = new List<Target>();
        var unplaced = new List<string>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var m = endpoint.Metadata;
            var raw = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = m.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var isPage = m.GetMetadata<ComponentTypeMetadata>() is not null;
            if (isPage) methods = ["GET"]; // a page's POST is its own form handling
            var scoped = endpoint.RoutePattern.Parameters.Any(p => p.Name.Equals("AccountId", StringComparison.OrdinalIgnoreCase));
            var authorize = m.GetOrderedMetadata<IAuthorizeData>();
            var anonymous = m.GetMetadata<IAllowAnonymous>() is not null;
            Kind? kind =
                m.GetMetadata<StaticAssetDescriptor>() is not null ? Kind.StaticAsset :
                raw.StartsWith("/_blazor", StringComparison.Ordinal) || raw.StartsWith("/_framework", StringComparison.Ordinal) ? Kind.BlazorInfrastructure :
                anonymous ? (PublicByDesign.Contains(raw) ? Kind.Public : null) :
                m.Any(x => x.GetType().Name == "FallbackMetadata") && authorize.Count == 0 && raw.Contains(":file", StringComparison.Ordinal) ? Kind.FileFallback :
                authorize.Count == 0 ? null :
                raw.StartsWith("/api/", StringComparison.Ordinal) ? Kind.Api :
                isPage ? Kind.Page : Kind.CookieEndpoint;
            if (kind is null)
            {
                unplaced.Add($"{string.Join(",", methods)} {raw}" + (anonymous ? " (anonymous, not in PublicByDesign)" : " (no authorization at all)"));
                continue;
            }
            var supportOnly = m.GetMetadata<SupportOnlyMetadata>() is not null || authorize.Any(a => a.Policy == PortalPolicies.Support);
            var needsManage = m.GetMetadata<RequiredScopeMetadata>() is { Scope: ApiScopes.Manage };
            foreach (var method in methods.Where(x => x != "HEAD"))
                targets.Add(new Target(endpoint, method, kind.Value, scoped, supportOnly, needsManage));
        }
        return (targets, unplaced);
    }

    /// <summary>A support key for the support-keys endpoints to act on (revoking it is what support may do).</summary>
    private long _supportVictimKeyId;

    private string Url(Target t, Party? on)
    {
        var path = t.Pattern;
        foreach (var parameter in t.Endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name.ToLowerInvariant() switch
            {
                "accountid" => (on?.AccountId ?? NoSuchAccount).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "listid" => (on?.ListId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "keyid" => (t.Pattern.Contains("/support-keys/", StringComparison.Ordinal) ? _supportVictimKeyId : on?.VictimKeyId ?? 1)
                    .ToString(System.Globalization.CultureInfo.InvariantCulture),
                "channel" => "Email",
                "consumptionid" => (on?.ConsumptionId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "holdid" => (on?.HoldId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "webhookid" => (t.Method == "DELETE" ? on?.VictimWebhookId ?? 1 : on?.WebhookId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "deliveryid" => (on?.DeliveryId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "documentname" => "v1",
                _ => "nothing-here.txt",
            };
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\**" + parameter.Name + @"(:[^}]*)?\}", value, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        }
        return path;
    }

    private const string OwnerPassword = "Matrix#Password1";

    private async Task<Party> CreatePartyAsync(string name)
    {
        using var support = _app.Support();
        var email = $"owner.{Guid.NewGuid():N}@matrix.test";
        var account = await support.SendJsonAsync(HttpMethod.Post, "/api/v1/accounts",
            $$"""{"name":"{{name}}","ownerEmail":"{{email}}","ownerPassword":"{{OwnerPassword}}"}""", HttpStatusCode.Created);
        var id = (long)account["id"]!;
        var list = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/lists", """{"name":"News"}""", HttpStatusCode.Created);
        var key = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/api-keys", """{"name":"manager","scopes":["send","manage"]}""",
            HttpStatusCode.Created);
        var sendKey = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/api-keys", """{"name":"sender"}""", HttpStatusCode.Created);
        var victim = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/api-keys", """{"name":"to revoke"}""", HttpStatusCode.Created);
        // A send the account's endpoints can name (refused for want of credits, so cancelling it is a rule's 422).
        var consumption = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/consumptions",
            CreditPortal.Tests.Api.Api.Consumption((long)list["id"]!, 1, "matrix-send"), HttpStatusCode.Created);
        // Issue #17: a hold the holds endpoints can name (voiding it is allowed; capturing the body "{}" is a 400 naming quantity).
        await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/adjustments", """{"channel":"Email","quantity":10,"reason":"matrix"}""",
            HttpStatusCode.Created);
        var until = _app.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var hold = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/holds",
            $$"""{"channel":"Email","listId":{{(long)list["id"]!}},"quantity":5,"expiresAt":"{{until}}","idempotencyKey":"matrix-hold"}""", HttpStatusCode.Created);
        // Two webhook endpoints (one to delete) and a delivery to resend, written as the dispatcher would.
        var webhook = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/webhooks",
            """{"url":"https://127.0.0.1:1/matrix","events":["consumption.accepted"]}""", HttpStatusCode.Created);
        var victimWebhook = await support.SendJsonAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/webhooks",
            """{"url":"https://127.0.0.1:1/matrix-victim","events":["consumption.accepted"]}""", HttpStatusCode.Created);
        long deliveryId;
        await using (var db = await _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CreditPortal.Data.CreditPortalDbContext>>()
                         .CreateDbContextAsync())
        {
            var delivery = new CreditPortal.Webhooks.WebhookDelivery
            {
                EndpointId = (long)webhook["id"]!, AccountId = id, EventId = "matrix-event", EventType = "consumption.accepted", Payload = "{}",
                EventAt = ApiTestApp.Start, CreatedAt = ApiTestApp.Start, RetryUntil = ApiTestApp.Start, GivenUpAt = ApiTestApp.Start,
            };
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync();
            deliveryId = delivery.Id;
        }
        return new Party(id, (long)list["id"]!, (string)key["key"]!, (long)victim["id"]!, email, (string)sendKey["key"]!, (long)consumption["id"]!,
            (long)webhook["id"]!, (long)victimWebhook["id"]!, deliveryId, (long)hold["id"]!);
    }

    private async Task<string> CreateSupportLoginAsync()
    {
        var email = $"support.{Guid.NewGuid():N}@matrix.test";
        await using var scope = _app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<PortalUsers>().CreateSupportAsync(email, OwnerPassword);
        Assert.True(result.Succeeded);
        return email;
    }

    private async Task<HttpClient> LoginAsync(string email, string password)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PortalLogin.PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (response.Headers.Location!.OriginalString.Contains("/account/password"))
        {
            // Support chose this owner's password (the API's ownerPassword): the owner picks their own before anything else.
            var changed = await PortalLogin.PostPasswordChangeAsync(client, password, password + "!");
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }
        return client;
    }
}
