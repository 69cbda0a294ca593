using Microsoft.Extensions.DependencyInjection;
using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using SettingsPage = CreditPortal.Features.Settings.Settings;

namespace CreditPortal.Tests.Features.Settings;

public sealed class SettingsPageTests : PortalBunitContext
{
    private async Task<(Account, IRenderedComponent<Bunit.Rendering.ContainerFragment>)> OpenAsync()
    {
        var account = await CreateAccountAsync(billingContacts: ["billing@acme.test"]);
        SignInAsOwner(account);
        var page = RenderPage<SettingsPage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=settings-form]")));
        return (account, page);
    }

    [Fact]
    public async Task Shows_the_current_settings()
    {
        var (_, page) = await OpenAsync();

        Assert.Equal("billing@acme.test", page.Find("textarea[name=settings-billing-contacts]").GetAttribute("value")?.Trim()
            ?? page.Find("textarea[name=settings-billing-contacts]").TextContent.Trim());
        Assert.Equal("Europe/Rome", page.Find("input[name=settings-time-zone]").GetAttribute("value"));
        Assert.Contains("No pack bought yet", page.Find("[data-testid=autorenew-pack-Email]").TextContent);
    }

    [Fact]
    public async Task An_invalid_billing_contact_is_refused_at_the_field_and_nothing_is_saved()
    {
        var (account, page) = await OpenAsync();

        page.Find("input[name=settings-hold]").Change(true);
        page.Find("textarea[name=settings-billing-contacts]").Change("billing@acme.test\nnot-an-address");
        page.Find("[data-testid=settings-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("'not-an-address' is not a valid email address.",
            page.Find("#settings-billingContacts-message").Text()));
        Assert.Equal("true", page.Find("textarea[name=settings-billing-contacts]").GetAttribute("aria-invalid"));
        Assert.Empty(page.FindAll(".mud-snackbar"));
        var saved = (await Queries.GetAccountAsync(account.Id))!;
        Assert.Equal(["billing@acme.test"], saved.BillingContacts);
        Assert.False(saved.HoldWhenOutOfCredits);
    }

    [Fact]
    public async Task Saves_hold_auto_renew_per_channel_contacts_and_time_zone()
    {
        var (account, page) = await OpenAsync();

        page.Find("input[name=settings-hold]").Change(true);
        page.Find("input[name=settings-autorenew-Sms]").Change(true);
        page.Find("textarea[name=settings-billing-contacts]").Change("ann@acme.test\n bob@acme.test ");
        // The time zone is an autocomplete: typing part of the id offers the zones that contain it.
        page.Find("input[name=settings-time-zone]").Input("New_York");
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == "America/New_York"));
        page.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == "America/New_York").Click();
        page.WaitForAssertion(() => Assert.Equal("America/New_York", page.Find("input[name=settings-time-zone]").GetAttribute("value")));
        page.Find("[data-testid=settings-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("Settings saved.", page.Find(".mud-snackbar").TextContent));
        var saved = (await Queries.GetAccountAsync(account.Id))!;
        Assert.True(saved.HoldWhenOutOfCredits);
        Assert.Equal(["ann@acme.test", "bob@acme.test"], saved.BillingContacts);
        Assert.Equal("America/New_York", saved.TimeZoneId);
        Assert.False((await WalletAsync(account.Id)).AutoRenew);
        Assert.True((await WalletAsync(account.Id, Channel.Sms)).AutoRenew);
        var audit = (await Queries.GetAuditAsync(account.Id)).Items.Select(a => a.Action).ToList();
        Assert.Contains("settings.timeZone", audit);
        Assert.Contains("settings.autoRenew.Sms", audit);
    }

    [Fact]
    public async Task The_pack_auto_renew_buys_is_chosen_per_channel_and_defaults_to_the_last_pack_bought()
    {
        var account = await CreateAccountAsync();
        await Orders.OrderPackAsync(account.Id, "email-10000", CreditPortal.Orders.TestPaymentProvider.PayingToken, "k1",
            CreditPortal.Ledger.Actor.Owner("owner@example.test"));
        SignInAsOwner(account);
        var page = RenderPage<SettingsPage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=settings-autorenew-pack-choice-Email]")));

        var email = page.Find("[data-testid=settings-autorenew-pack-choice-Email]");
        Assert.Contains("The last pack bought (now 10,000 credits)", email.TextContent);
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)email.QuerySelectorAll("input[type=radio]")[0]).IsChecked);
        Assert.Equal(5, email.QuerySelectorAll("input[type=radio]").Length);   // the last bought + the four Email packs
        Assert.Equal(4, page.FindAll("[data-testid=settings-autorenew-pack-choice-Sms] input[type=radio]").Count);
        Assert.Contains("Buys 10,000 credits for", page.Find("[data-testid=autorenew-pack-Email]").TextContent);

        // The 50,000 pack (the third of the Email packs).
        page.FindAll("[data-testid=settings-autorenew-pack-choice-Email] input[type=radio]")[3].Click();
        page.WaitForAssertion(() => Assert.Contains("Buys 50,000 credits for", page.Find("[data-testid=autorenew-pack-Email]").TextContent));
        page.Find("[data-testid=settings-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("Settings saved.", page.Find(".mud-snackbar").TextContent));
        Assert.Equal("email-50000", (await WalletAsync(account.Id)).AutoRenewPackId);
        Assert.Null((await WalletAsync(account.Id, Channel.Sms)).AutoRenewPackId);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "settings.autoRenewPack.Email" && a.After == "email-50000");
    }

    [Fact]
    public async Task After_a_declined_renewal_a_new_card_retries_it_at_once_and_says_it_was_paid()
    {
        var owner = CreditPortal.Ledger.Actor.Owner("owner@example.test");
        var account = await CreateAccountAsync();
        await PayForPlanAsync(account.Id, Channel.Email, Plan.Standard, 1_000, null, owner);
        var cards = Services.GetRequiredService<CreditPortal.Orders.CardUpdates>();
        await cards.UpdateAsync(account.Id, CreditPortal.Orders.TestPaymentProvider.DecliningToken, "card-1", owner);
        // The cycle that started on 22 Nov ends on 22 Dec (00:00 in Rome): its renewal is charged to the declining card.
        var cycleEnd = new DateTimeOffset(2026, 12, 21, 23, 0, 0, TimeSpan.Zero);
        Clock.MoveTo(cycleEnd);
        foreach (var work in Services.GetServices<CreditPortal.Scheduling.IDueWork>()) await work.RunDueAsync(cycleEnd, default);
        Assert.Equal(0, (await WalletAsync(account.Id)).Total);
        SignInAsOwner(account);

        var page = RenderPage<SettingsPage>(account.Id);
        page.WaitForAssertion(() => Assert.Contains("A renewal was declined and waits", page.Find("[data-testid=renewal-waiting]").TextContent));
        page.Find("[data-testid=update-card-form] [data-testid=payment-token] input[type=radio]").Click(); // Pays (tok_ok)
        page.Find("[data-testid=update-card-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("Card updated. The waiting renewal was charged to it at once and paid.", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=renewal-waiting]")));
        Assert.Equal(12_000, (await WalletAsync(account.Id)).Total);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "payment.card" && a.After == "…k_ok");
        Assert.Empty(await Services.GetRequiredService<LedgerCheck>().RunAsync());
    }

    [Fact]
    public void Time_zone_choices_are_iana_ids_the_ledger_accepts()
    {
        var zones = CreditPortal.Features.Settings.TimeZoneChoices.All;
        Assert.Contains("Europe/Rome", zones);
        Assert.Contains("America/New_York", zones);
        Assert.All(zones, z => Assert.True(CreditPortal.Clock.AccountCalendar.IsKnownZone(z), z));
    }
}
