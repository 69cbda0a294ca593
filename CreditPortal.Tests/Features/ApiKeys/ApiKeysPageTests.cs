using Bunit;
using CreditPortal.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApiKeysPage = CreditPortal.Features.ApiKeys.ApiKeys;

namespace CreditPortal.Tests.Features.ApiKeys;

public sealed class ApiKeysPageTests : PortalBunitContext
{
    public ApiKeysPageTests() => Services.AddSingleton<ApiKeyService>();

    private ApiKeyService Keys => Services.GetRequiredService<ApiKeyService>();

    private async Task<(CreditPortal.Ledger.Account, IRenderedComponent<Bunit.Rendering.ContainerFragment>)> OpenAsync()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account, "owner@acme.test");
        var page = RenderPage<ApiKeysPage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=api-keys]")));
        return (account, page);
    }

    [Fact]
    public async Task No_keys_yet_says_so()
    {
        var (_, page) = await OpenAsync();

        Assert.Contains("No API keys yet.", page.Find("[data-testid=api-keys]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=api-key-created]"));
    }

    [Fact]
    public async Task A_key_created_with_a_monthly_limit_shows_it_and_the_limit_can_be_changed()
    {
        var (account, page) = await OpenAsync();

        page.Find("input[name=api-key-name]").Input("Automation");
        page.Find("input[name=api-key-cap]").Input("500");
        page.Find("[data-testid=create-api-key]").Submit();
        page.WaitForAssertion(() => Assert.Equal("0 of 500 credits", page.Find("tr.api-key-row [data-testid=api-key-month]").Text()));
        var key = (await Keys.ListAsync(account.Id)).Single();
        Assert.Equal(500, key.MonthlyCreditCap);

        page.Find("[data-testid=api-key-set-cap]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=key-cap-dialog]")));
        Assert.False(page.Find("input[name=key-cap-credits]").HasAttribute("disabled")); // a limit is on: its maximum can be typed
        page.Find("input[name=key-cap-credits]").Input("800");
        page.Find("form#key-cap").Submit();

        page.WaitForAssertion(() => Assert.Equal("0 of 800 credits", page.Find("tr.api-key-row [data-testid=api-key-month]").Text()));
        Assert.Equal(800, (await Keys.ListAsync(account.Id)).Single().MonthlyCreditCap);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "apikey.cap" && a.After == "800 credits a month");

        page.Find("[data-testid=api-key-set-cap]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=key-cap-dialog]")));
        page.Find("input[name=key-cap-enabled]").Change(false);
        page.Find("form#key-cap").Submit();
        page.WaitForAssertion(() => Assert.Equal("0 credits, no limit", page.Find("tr.api-key-row [data-testid=api-key-month]").Text()));
        Assert.Null((await Keys.ListAsync(account.Id)).Single().MonthlyCreditCap);
    }

    [Fact]
    public async Task A_new_key_is_shown_once_works_for_the_api_and_only_its_prefix_stays_visible()
    {
        var (account, page) = await OpenAsync();

        page.Find("input[name=api-key-name]").Input("Newsletter engine");
        page.Find("[data-testid=create-api-key]").Submit();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=api-key-secret]")));
        var secret = page.Find("[data-testid=api-key-secret]").GetAttribute("value")!;
        Assert.StartsWith(ApiKeyService.AccountKeyPrefix, secret);
        var row = page.Find("tr.api-key-row");
        Assert.Equal("Newsletter engine", row.QuerySelector("[data-testid=api-key-name]")!.Text());
        Assert.Equal("Active", row.QuerySelector("[data-testid=api-key-status]")!.Text());
        var prefix = row.QuerySelector("[data-testid=api-key-prefix]")!.Text().TrimEnd('…');
        Assert.StartsWith(prefix, secret);
        Assert.True(prefix.Length < secret.Length);

        var info = await Keys.AuthenticateAsync(secret);
        Assert.Equal(account.Id, info!.AccountId);
        Assert.False(info.IsSupport);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "apikey.created" && a.Actor == "owner:owner@acme.test");

        page.Find("[data-testid=api-key-dismiss]").Click();
        page.WaitForAssertion(() => Assert.DoesNotContain(secret, page.Markup));
        var again = RenderPage<ApiKeysPage>(account.Id);
        again.WaitForAssertion(() => Assert.NotNull(again.Find("tr.api-key-row")));
        Assert.DoesNotContain(secret, again.Markup);
        await using var db = Database.CreateContext();
        Assert.DoesNotContain(await db.ApiKeys.ToListAsync(), k => k.Hash == secret || k.Prefix == secret);
    }

    [Fact]
    public async Task Revoking_asks_first_and_the_key_stops_working_at_once()
    {
        var (account, page) = await OpenAsync();
        page.Find("[data-testid=create-api-key]").Submit();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=api-key-secret]")));
        var secret = page.Find("[data-testid=api-key-secret]").GetAttribute("value")!;
        Assert.NotNull(await Keys.AuthenticateAsync(secret));

        page.Find("form[id^=revoke-api-key-]").Submit();   // the row's Revoke… button submits its form
        page.WaitForAssertion(() => Assert.Contains("Every system using it is refused", page.Find(".mud-dialog").Text()));
        Assert.NotNull(await Keys.AuthenticateAsync(secret));   // not before the confirmation
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Revoke")).Click();

        page.WaitForAssertion(() => Assert.StartsWith("Revoked", page.Find("[data-testid=api-key-status]").Text()));
        Assert.Empty(page.FindAll("[data-testid=api-key-revoke]"));
        Assert.Empty(page.FindAll("[data-testid=api-key-created]"));
        Assert.Null(await Keys.AuthenticateAsync(secret));
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "apikey.revoked");
    }

    [Fact]
    public async Task An_owner_never_sees_another_account_s_keys()
    {
        var mine = await CreateAccountAsync("Mine Co");
        var theirs = await CreateAccountAsync("Theirs Co");
        await Keys.CreateForAccountAsync(theirs.Id, "Their secret system", CreditPortal.Ledger.Actor.Owner("x@theirs.test"));
        SignInAsOwner(mine);

        var own = RenderPage<ApiKeysPage>(mine.Id);
        own.WaitForAssertion(() => Assert.NotNull(own.Find("[data-testid=api-keys]")));
        Assert.DoesNotContain("Their secret system", own.Markup);

        var other = RenderPage<ApiKeysPage>(theirs.Id);
        other.WaitForAssertion(() => Assert.NotNull(other.Find("[data-testid=not-found]")));
        Assert.DoesNotContain("Their secret system", other.Markup);
    }
}
