using System.Diagnostics;
using CreditPortal.Api;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Orders;
using CreditPortal.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Demo;

/// <summary>What recording the demo history did.</summary>
/// <param name="UnplannedRefusals">Planned sends that were refused (the story's own refusals are not counted).</param>
/// <param name="StillQueued">Sends still queued at the end.</param>
public sealed record DemoHistoryResult(long AccountId, int Sends, int UnplannedRefusals, int StillQueued, TimeSpan Elapsed);

/// <summary>
/// Thirteen months of the demo account, recorded through the ledger as they would have happened. The history
/// runs on its own ledger writer, scheduler and payment provider over the app's database, with a manual clock
/// walked from 13 months ago to now: before each step the clock moves to the step's instant and the scheduler
/// runs what became due (top-ups, expiries, auto-renewals and their retries, queue releases), as it does after
/// a downtime. So every entry is dated when it happened and the ledger check passes. It runs before the app's
/// own writer starts, which then reads the account like any other.
/// <para>
/// The story, month by month from the account's creation (month 0), in Europe/Rome.
/// Month 0: support creates the account (Ticketing and WebHosting: 3,500 free email credits a month, R2); the
/// owner creates five lists and three API keys (the sends are recorded under them), caps Promotions at 12,000
/// emails a month (R6), buys 5,000 SMS credits with the card on file and turns SMS auto-renew on (R10).
/// Every month, on its first weekday, the owner buys the fewest email packs that cover the month's planned sends
/// and gives Customer care its email budget (Assigned, R4); free credits are spent last (R1), so little bought
/// credit is left at the next month start and the top-up fills the free credits back up (R2).
/// Month 2: a flash sale passes the Promotions cap and is refused (R6); the next day the owner raises the cap and
/// sends it again; a few days later the owner turns "hold when out of credits" on (R9).
/// Month 4: a large SMS campaign takes the SMS wallet under 10%: auto-renew buys 5,000 again (R10).
/// Month 5 ends with the card's expiry. Month 6: support adds the Domain product type (R2, R11).
/// Month 7: another SMS campaign triggers auto-renew; the expired card is declined, then retried after 1 h, 6 h
/// and 24 h, each decline alerting (R10); meanwhile delivery notices are queued for lack of credits; the owner
/// buys SMS with a new card and the queued sends go out (R9).
/// Month 9: support grants 3,000 SMS credits for 45 days as goodwill (R11); the owner assigns every SMS credit to
/// three lists; what is left of the grant expires, split across the lists (R5); the lists go back to Shared.
/// Month 11: support raises the Promotions cap for Christmas, with a reason (R11).
/// </para>
/// </summary>
public sealed class DemoHistory : IAsyncDisposable
{
    public const int Months = 13;
    public const string TimeZone = "Europe/Rome";
    public const string BillingContact = "billing@demo.creditportal.local";

    /// <summary>What the owner keeps in the shared email pool beyond the month's planned sends.</summary>
    private const long EmailReserve = 300;

    private static readonly Actor Owner = Actor.Owner(DemoOptions.OwnerEmail);
    private static readonly Actor Support = Actor.Support(DemoOptions.SupportDisplayName);

    private static readonly (string Country, double Share)[] CampaignMix =
        [("FR", 0.15), ("DE", 0.12), ("ES", 0.12), ("GB", 0.08), ("US", 0.07), ("BR", 0.06)];

    private readonly ServiceProvider _services;
    private readonly ManualTimeProvider _clock;
    private readonly ILogger _logger;
    private readonly AccountCalendar _calendar = new(TimeZone);
    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _now;
    private readonly List<Step> _steps = [];
    private readonly Dictionary<string, long> _lists = [];
    private readonly Dictionary<string, Actor> _keys = [];
    private readonly List<DemoSend> _plan;
    private long _accountId;
    private int _sends;
    private int _orders;
    private int _unplannedRefusals;
    private int _stillQueued;

    /// <summary>One thing that happens: a planned send, or a step of the story.</summary>
    private sealed record Step(DateTimeOffset At, DemoSend? Send, Func<Task>? Run);

    private DemoHistory(IServiceProvider app, DateTimeOffset now)
    {
        _now = now;
        var today = _calendar.LocalDate(now);
        _start = _calendar.ToInstant(today.AddMonths(-Months).ToDateTime(new TimeOnly(9, 0)));
        _clock = new ManualTimeProvider(_start);
        _logger = app.GetRequiredService<ILoggerFactory>().CreateLogger<DemoHistory>();
        var cardExpiresAt = _calendar.StartOfDay(MonthFirst(6));
        _services = BuildServices(app, _clock, new DemoPaymentProvider(_clock, cardExpiresAt));
        _plan = DemoTraffic.Plan(_start, _calendar.NextMonthStart(now), _start, _calendar, PromotionsCap);
        Story();
        foreach (var send in _plan) _steps.Add(new Step(send.At, send, null));
    }

    private CreditLedger Ledger => _services.GetRequiredService<CreditLedger>();
    private OrderService Orders => _services.GetRequiredService<OrderService>();
    private LedgerQueries Queries => _services.GetRequiredService<LedgerQueries>();
    private CreditsOptions Credits => _services.GetRequiredService<CreditsOptions>();

    /// <summary>Records the history up to <paramref name="now"/> and returns the demo account's id.</summary>
    public static async Task<DemoHistoryResult> RecordAsync(IServiceProvider app, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        await using var history = new DemoHistory(app, now);
        await history.WalkAsync(cancellationToken);
        return new DemoHistoryResult(history._accountId, history._sends, history._unplannedRefusals, history._stillQueued, watch.Elapsed);
    }

    /// <summary>The ledger's own services (writer, scheduler, orders, API keys) on the demo's clock and payments,
    /// over the app's database and configuration.</summary>
    private static ServiceProvider BuildServices(IServiceProvider app, ManualTimeProvider clock, IPaymentProvider payments)
    {
        var configuration = app.GetRequiredService<IConfiguration>();
        var services = new ServiceCollection();
        services.AddSingleton(app.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(configuration);
        services.AddSingleton(app.GetRequiredService<IWebHostEnvironment>());
        services.AddSingleton(app.GetRequiredService<PortalDatabase>());
        services.AddSingleton(app.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>());
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddCreditLedger(configuration);
        // The demo pays with its own cards whatever the app is configured with (its history is made up, no money moves).
        services.AddSingleton(new PaymentsOptions { Provider = PaymentsOptions.TestProvider });
        services.AddSingleton(payments);
        services.AddSingleton<Scheduler>();
        services.AddSingleton<CreditPortal.Security.SecurityLog>();
        services.AddSingleton<ApiKeyService>();
        return services.BuildServiceProvider();
    }

    private async Task WalkAsync(CancellationToken cancellationToken)
    {
        var scheduler = _services.GetRequiredService<Scheduler>();
        var writer = _services.GetRequiredService<LedgerWriter>();
        var steps = _steps.Select((step, order) => (step, order)).OrderBy(x => x.step.At).ThenBy(x => x.order).Select(x => x.step).ToList();
        var ranAt = _start.AddDays(-1);
        DateTimeOffset? nextDue = null;
        var sends = new List<Task<ConsumptionStatus>>();
        var ticks = new List<Task>();
        var queuedAt = _start;

        async Task FlushAsync()
        {
            await Task.WhenAll(ticks);
            foreach (var status in await Task.WhenAll(sends))
                if (status == ConsumptionStatus.Rejected) _unplannedRefusals++;
            sends.Clear();
            ticks.Clear();
        }

        async Task RunDueAsync()
        {
            await FlushAsync();
            await scheduler.RunDueAsync(cancellationToken);
            nextDue = await scheduler.NextDueAsync(cancellationToken);
            ranAt = _clock.GetUtcNow();
        }

        for (var i = 0; i < steps.Count && steps[i].At < _now; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (at, send, run) = steps[i];
            // What became due before this step (a retry of a declined auto-renewal) runs at its own instant first,
            // as the app's scheduler would run it. The ledger's own events (expiries, top-ups, queue releases) run
            // whenever a command opens the account, dated when they were due.
            while (nextDue is { } due && due <= at && due > ranAt)
            {
                await FlushAsync();
                if (due > _clock.GetUtcNow()) _clock.MoveTo(due);
                await RunDueAsync();
            }
            if (send is not null)
            {
                // Sends are queued on the writer without waiting, each behind a step that moves the clock to its
                // instant on the writer itself: the writer commits many of them in one transaction (group commit),
                // and each still reads its own instant as now.
                if (at > queuedAt)
                {
                    var to = at;
                    ticks.Add(writer.RunAsync(_ => _clock.MoveTo(to)));
                    queuedAt = at;
                }
                sends.Add(ConsumeAsync(send));
                // An SMS send may take the wallet to auto-renew's threshold (R10): the renewal runs at once.
                if (send.Channel == Channel.Sms && (i + 1 == steps.Count || steps[i + 1].At != at)) await RunDueAsync();
                continue;
            }
            await FlushAsync();
            if (at > _clock.GetUtcNow()) _clock.MoveTo(at);
            queuedAt = at;
            await run!();
            await RunDueAsync();
        }
        await FlushAsync();
        if (_now > _clock.GetUtcNow()) _clock.MoveTo(_now);
        await RunDueAsync();
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
            _stillQueued += (await WalletAsync(channel)).Queued;
    }

    // ---- the story ----

    private void Story()
    {
        At(_start, CreateAccountAsync);
        At(_start.AddMinutes(20), () => BuyAsync(Channel.Sms, 5_000, DemoPaymentProvider.ExpiringCard));
        At(_start.AddMinutes(21), () => Ledger.UpdateSettingsAsync(_accountId, new SettingsChange(AutoRenew: new Dictionary<Channel, bool> { [Channel.Sms] = true }), Owner));
        At(_start.AddMinutes(30), () => MonthlyEmailAsync(MonthFirst(0), DemoPaymentProvider.ExpiringCard));
        for (var k = 1; k <= Months; k++)
        {
            var first = MonthFirst(k);
            var card = k <= 5 ? DemoPaymentProvider.ExpiringCard : TestPaymentProvider.PayingToken;
            At(Local(DemoTraffic.Weekday(first), 8, 30), () => MonthlyEmailAsync(first, card));
        }

        // Month 2: the flash sale passes the cap (refused), the cap is raised, the sale goes out; then hold goes on.
        var flash = LastThursday(2);
        var nextDay = DemoTraffic.Weekday(flash.AddDays(1));
        var flashQuantity = 0L;
        At(Local(flash, 15, 0), async () =>
        {
            var promotions = (await WalletAsync(Channel.Email)).Lists.Single(l => l.Name == DemoLists.Promotions);
            flashQuantity = promotions.CapPerMonth!.Value - promotions.SentThisMonth + 1_500;
            await ConsumeAsync(new DemoSend(_clock.GetUtcNow(), DemoLists.Promotions, Channel.Email, flashQuantity, null, "Flash sale"));
        });
        At(Local(nextDay, 9, 30), () => Ledger.SetCapAsync(_accountId, _lists[DemoLists.Promotions], Channel.Email, true, 16_000, Owner));
        At(Local(nextDay, 9, 40), () => BuyEmailForTheMonthAsync(new DateOnly(nextDay.Year, nextDay.Month, 1), DemoPaymentProvider.ExpiringCard, extra: flashQuantity));
        At(Local(nextDay, 10, 0), () => ConsumeAsync(new DemoSend(_clock.GetUtcNow(), DemoLists.Promotions, Channel.Email, flashQuantity, null, "Flash sale")));
        At(Local(DemoTraffic.Weekday(flash.AddDays(5)), 10, 0),
            () => Ledger.UpdateSettingsAsync(_accountId, new SettingsChange(HoldWhenOutOfCredits: true), Owner));

        // Month 4: a campaign takes the SMS wallet under auto-renew's threshold; the card still pays.
        At(Local(DemoTraffic.Weekday(MonthFirst(4).AddDays(19)), 11, 45), () => SmsCampaignAsync("Festival launch", leave: 350));

        // Month 6: the account gains a product type (R2).
        At(Local(DemoTraffic.Weekday(MonthFirst(6).AddDays(9)), 14, 0), () => Ledger.SetProductTypesAsync(_accountId,
            ["Ticketing", "WebHosting", "Domain"], Support, "Customer registered a domain with us"));

        // Month 7: auto-renew meets the expired card; a batch queues; the owner pays with a new card.
        var presale = DemoTraffic.Weekday(MonthFirst(7).AddDays(8));
        At(Local(presale, 11, 45), () => SmsCampaignAsync("Tour presale", leave: 300));
        At(Local(presale.AddDays(1), 10, 5), async () =>
        {
            await ConsumeAsync(new DemoSend(_clock.GetUtcNow(), DemoLists.Transactional, Channel.Sms, 500, "IT", "Delivery notices"));
            await ConsumeAsync(new DemoSend(_clock.GetUtcNow(), DemoLists.Transactional, Channel.Sms, 50, "US", "Delivery notices"));
        });
        At(Local(DemoTraffic.Weekday(presale.AddDays(2)), 9, 15), () => BuyAsync(Channel.Sms, 5_000, TestPaymentProvider.PayingToken));

        // Month 9: goodwill SMS credits for 45 days, all SMS credits assigned to the lists; the rest expires (R5).
        var goodwill = DemoTraffic.Weekday(MonthFirst(9).AddDays(3));
        At(Local(goodwill, 10, 0), () => Ledger.GrantAdjustmentAsync(_accountId, Channel.Sms, 3_000, _calendar.StartOfDay(goodwill.AddDays(45)),
            "Goodwill: delivery reports were late for three days", Support));
        At(Local(goodwill, 10, 30), AssignAllSmsAsync);
        At(Local(DemoTraffic.Weekday(goodwill.AddDays(48)), 9, 0), async () =>
        {
            foreach (var list in new[] { DemoLists.EventReminders, DemoLists.CustomerCare, DemoLists.Transactional })
                await Ledger.SetAllocationAsync(_accountId, _lists[list], Channel.Sms, AllocationMode.Shared, null, Owner);
        });

        // Month 11: support makes room for the Christmas campaigns.
        At(SupportRaisesCapAt, () => Ledger.SetCapAsync(_accountId, _lists[DemoLists.Promotions], Channel.Email, true, 20_000, Support,
            "Customer asked by phone for room for the Christmas campaigns"));
    }

    private DateTimeOffset OwnerRaisesCapAt => Local(DemoTraffic.Weekday(LastThursday(2).AddDays(1)), 9, 30);
    private DateTimeOffset SupportRaisesCapAt => Local(DemoTraffic.Weekday(MonthFirst(11).AddDays(4)), 11, 30);

    /// <summary>The Promotions cap the story sets, at an instant (the planned promotions stay under it).</summary>
    private long PromotionsCap(DateTimeOffset at) => at < OwnerRaisesCapAt ? 12_000 : at < SupportRaisesCapAt ? 16_000 : 20_000;

    private async Task CreateAccountAsync()
    {
        _accountId = await Ledger.CreateAccountAsync(
            new NewAccount(DemoOptions.AccountName, TimeZone, ["Ticketing", "WebHosting"], [BillingContact]), Support);
        foreach (var name in DemoLists.All)
            _lists[name] = await Ledger.CreateListAsync(_accountId, name, Owner);
        var keys = _services.GetRequiredService<ApiKeyService>();
        foreach (var name in new[] { "Newsletter engine", "Shop backend", "SMS gateway" })
            _keys[name] = (await keys.CreateForAccountAsync(_accountId, name, Owner)).Info.Actor;
        await Ledger.SetCapAsync(_accountId, _lists[DemoLists.Promotions], Channel.Email, true, 12_000, Owner);
    }

    /// <summary>On a month's first weekday the owner buys what the month's email sends need and gives Customer care
    /// its email budget for the month (R4).</summary>
    private async Task MonthlyEmailAsync(DateOnly monthFirst, string card)
    {
        var budget = (long)Math.Ceiling(1.1 * PlannedEmail(monthFirst).Where(s => s.List == DemoLists.CustomerCare).Sum(s => s.Quantity));
        await BuyEmailForTheMonthAsync(monthFirst, card, budget);
        await Ledger.SetAllocationAsync(_accountId, _lists[DemoLists.CustomerCare], Channel.Email, AllocationMode.Assigned, budget, Owner);
    }

    /// <summary>
    /// Buys the fewest email packs that let the shared pool cover the rest of the month's planned sends,
    /// <paramref name="extra"/> and Customer care's new <paramref name="budget"/>, with a small reserve. Free credits
    /// are spent last (R1: they expire), so what is bought runs out before the month ends, little is left at the
    /// next month start, and the month-start top-up (R2) fills the free credits back up.
    /// </summary>
    private async Task BuyEmailForTheMonthAsync(DateOnly monthFirst, string card, long? budget = null, long extra = 0)
    {
        var wallet = await WalletAsync(Channel.Email);
        var care = wallet.Lists.Single(l => l.Name == DemoLists.CustomerCare).Assigned;
        var shared = PlannedEmail(monthFirst).Where(s => s.List != DemoLists.CustomerCare).Sum(s => s.Quantity);
        await BuyAsync(Channel.Email, shared + extra + EmailReserve + (budget ?? care) - care - wallet.Unassigned, card);
    }

    /// <summary>The planned email sends from now to the end of the month that starts on <paramref name="monthFirst"/>.</summary>
    private IEnumerable<DemoSend> PlannedEmail(DateOnly monthFirst)
    {
        var now = _clock.GetUtcNow();
        var monthEnd = _calendar.StartOfDay(monthFirst.AddMonths(1));
        return _plan.Where(s => s.Channel == Channel.Email && s.At >= now && s.At < monthEnd);
    }

    /// <summary>Buys at least <paramref name="credits"/> in packs of the channel, the largest first.</summary>
    private async Task BuyAsync(Channel channel, long credits, string card)
    {
        if (credits <= 0) return;
        var catalog = _services.GetRequiredService<PackCatalog>().For(channel).OrderByDescending(p => p.Credits).ToList();
        var unit = catalog[^1].Credits;
        var left = (credits + unit - 1) / unit * unit;
        foreach (var pack in catalog)
        {
            for (; left >= pack.Credits; left -= pack.Credits)
            {
                var order = await Orders.OrderPackAsync(_accountId, pack.Id, card, $"demo-order-{++_orders}", Owner);
                if (order.Status != OrderStatus.Paid)
                    _logger.LogWarning("Demo history: order {OrderId} for {Pack} was {Status}", order.OrderId, pack.Id, order.Status);
            }
        }
    }

    /// <summary>An SMS campaign to several countries, sized to leave <paramref name="leave"/> credits in the wallet.</summary>
    private async Task SmsCampaignAsync(string reference, long leave)
    {
        var wallet = await WalletAsync(Channel.Sms);
        var credits = Math.Min(wallet.Total - leave, wallet.Unassigned);
        if (credits <= 0) return;
        var now = _clock.GetUtcNow();
        var rates = Credits.SmsCreditsPerMessage;
        var left = credits;
        foreach (var (country, share) in CampaignMix)
        {
            var messages = (long)(credits * share) / rates[country];
            if (messages < 1) continue;
            await ConsumeAsync(new DemoSend(now, DemoLists.EventReminders, Channel.Sms, messages, country, reference));
            left -= messages * rates[country];
        }
        await ConsumeAsync(new DemoSend(now, DemoLists.EventReminders, Channel.Sms, left / rates["IT"], "IT", reference));
    }

    /// <summary>The owner gives each SMS list a budget: every SMS credit is assigned, the pool is empty.</summary>
    private async Task AssignAllSmsAsync()
    {
        var total = (await WalletAsync(Channel.Sms)).Total;
        var reminders = total * 55 / 100;
        var care = total * 15 / 100;
        await Ledger.SetAllocationAsync(_accountId, _lists[DemoLists.EventReminders], Channel.Sms, AllocationMode.Assigned, reminders, Owner);
        await Ledger.SetAllocationAsync(_accountId, _lists[DemoLists.CustomerCare], Channel.Sms, AllocationMode.Assigned, care, Owner);
        await Ledger.SetAllocationAsync(_accountId, _lists[DemoLists.Transactional], Channel.Sms, AllocationMode.Assigned, total - reminders - care, Owner);
    }

    private async Task<ConsumptionStatus> ConsumeAsync(DemoSend send)
    {
        var key = send.List == DemoLists.Transactional ? "Shop backend" : send.Channel == Channel.Sms ? "SMS gateway" : "Newsletter engine";
        var result = await Ledger.ConsumeAsync(_accountId,
            new ConsumptionRequest(send.Channel, _lists[send.List], send.Quantity, send.Country, send.Reference, $"demo-{++_sends}"), _keys[key]);
        return result.Status;
    }

    private async Task<WalletView> WalletAsync(Channel channel) => (await Queries.GetWalletAsync(_accountId, channel))!;

    private void At(DateTimeOffset at, Func<Task> run) => _steps.Add(new Step(at, null, run));

    private DateTimeOffset Local(DateOnly day, int hour, int minute) => _calendar.ToInstant(day.ToDateTime(new TimeOnly(hour, minute)));

    /// <summary>The first day of the history's month <paramref name="k"/> (0: the month the account was created).</summary>
    private DateOnly MonthFirst(int k)
    {
        var start = _calendar.LocalDate(_start);
        return new DateOnly(start.Year, start.Month, 1).AddMonths(k);
    }

    private DateOnly LastThursday(int k)
    {
        var day = MonthFirst(k + 1).AddDays(-1);
        while (day.DayOfWeek != DayOfWeek.Thursday) day = day.AddDays(-1);
        return day;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
