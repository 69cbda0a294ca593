using CreditPortal.Data;
using CreditPortal.Features.Balance;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Balance;

public sealed class WalletOutlookServiceTests
{
    [Fact]
    public async Task Usage_counts_the_account_s_local_days_the_month_and_the_last_30_days()
    {
        // 23 Oct 22:30 UTC is 24 Oct 00:30 in Rome (CEST): inside a window that starts on local 24 Oct.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 10, 10, 9, 0, 0, TimeSpan.Zero));
        var account = await h.CreateAccountAsync("Acme", "Europe/Rome");
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        var capped = await h.Ledger.CreateListAsync(account, "Capped", LedgerHarness.Owner);
        await h.GrantAsync(account, 100_000);
        await h.GrantAsync(account, 1_000, channel: Channel.Sms);
        await h.Ledger.SetCapAsync(account, capped, Channel.Email, true, 0, LedgerHarness.Owner);

        await h.SendAsync(account, list, 1_000);                                        // 10 Oct: outside both
        await h.AdvanceToAsync(new DateTimeOffset(2026, 10, 23, 20, 30, 0, TimeSpan.Zero));
        await h.SendAsync(account, list, 7);                                            // local 23 Oct: outside
        await h.AdvanceToAsync(new DateTimeOffset(2026, 10, 23, 22, 30, 0, TimeSpan.Zero));
        await h.SendAsync(account, list, 2_000);                                        // local 24 Oct: window only
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
        await h.SendAsync(account, list, 500);                                          // month and window
        await h.SendAsync(account, capped, 40);                                         // refused by the cap
        await h.SendAsync(account, list, 10, Channel.Sms, "US");                        // 20 SMS credits
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        await h.SendAsync(account, list, 100);

        var service = new WalletOutlookService(h.Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>(), h.Queries, h.Clock);
        var accountRow = (await h.Queries.GetAccountAsync(account))!;
        var email = await service.GetAsync(accountRow, await h.WalletAsync(account));
        var sms = await service.GetAsync(accountRow, await h.WalletAsync(account, Channel.Sms));

        Assert.Equal(new UsageSummary(MessagesThisMonth: 600, CreditsThisMonth: 600, RefusedThisMonth: 1, CreditsLast30Days: 2_600, MessagesLast30Days: 2_600),
            email.Usage);
        Assert.Equal(2_600m / 30, email.Forecast.CreditsPerDay);
        Assert.Equal(ForecastKind.RunsOut, email.Forecast.Kind);
        // SMS: the rate is in credits (a US SMS costs 2), sends are in messages.
        Assert.Equal(10, sms.Usage.MessagesThisMonth);
        Assert.Equal(20, sms.Usage.CreditsLast30Days);
    }

    [Fact]
    public async Task Forecast_runs_out_at_the_last_30_days_rate_from_the_wallet_s_lots()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var account = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.GrantAsync(account, 4_000);
        await h.SendAsync(account, list, 3_000);   // 100 a day over 30 days; 1,000 left → 10 days

        var service = new WalletOutlookService(h.Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>(), h.Queries, h.Clock);
        var outlook = await service.GetAsync((await h.Queries.GetAccountAsync(account))!, await h.WalletAsync(account));

        Assert.Equal(h.Clock.GetUtcNow().AddDays(10), outlook.Forecast.RunsOutAt);
    }
}
