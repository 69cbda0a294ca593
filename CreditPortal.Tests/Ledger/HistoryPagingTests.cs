using CreditPortal.Audit;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// LedgerQueries' paged histories (ledger entries, alerts, audit trail): keyset pages that neither skip nor repeat
/// a row, rows of the same instant included, while new rows arrive; offset pages and counts for pagers.
/// </summary>
public sealed class HistoryPagingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<List<T>> FollowAsync<T>(Func<PageRequest, Task<Page<T>>> read, int size)
    {
        var all = new List<T>();
        PageCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await read(PageRequest.Following(cursor, size));
            Assert.True(page.Items.Count <= size);
            Assert.True(page.Next is null || page.Items.Count == size, "only the last page may be short");
            all.AddRange(page.Items);
            cursor = page.Next;
            Assert.True(++pages < 1000);
        } while (cursor is not null);
        return all;
    }

    [Fact]
    public async Task Ledger_pages_oldest_first_through_rows_of_one_instant_without_skipping_or_repeating()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.GrantAsync(id, 1_000);
        // The manual clock stands still: all these entries share one instant, so only the id orders them.
        for (var i = 0; i < 11; i++) await h.SendAsync(id, list, 1);
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.SendAsync(id, list, 2);

        var paged = await FollowAsync(p => h.Queries.GetLedgerAsync(id, new LedgerFilter(), p), 4);

        var ids = paged.Select(e => e.Id).ToList();
        Assert.Equal(13, ids.Count); // the grant and 12 sends
        Assert.Equal(ids.Distinct().Order(), ids);
        Assert.Equal(13, await h.Queries.CountLedgerAsync(id, new LedgerFilter()));
        Assert.Equal(-2, paged[^1].Quantity);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Ledger_keeps_its_filter_across_pages_and_rows_added_while_paging_come_last()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.GrantAsync(id, 100);
        await h.GrantAsync(id, 100, channel: Channel.Sms);
        for (var i = 0; i < 5; i++)
        {
            await h.SendAsync(id, list, 1);
            await h.SendAsync(id, list, 1, Channel.Sms, "IT");
        }

        var email = new LedgerFilter(Channel.Email);
        var first = await h.Queries.GetLedgerAsync(id, email, PageRequest.Following(null, 4));
        await h.SendAsync(id, list, 7); // arrives while a client pages
        var rest = await FollowAsync(p => h.Queries.GetLedgerAsync(id, email, p.After is null ? p with { After = first.Next } : p), 4);

        var all = first.Items.Concat(rest).ToList();
        Assert.All(all, e => Assert.Equal(Channel.Email, e.Channel));
        Assert.Equal(7, all.Count);
        Assert.Equal(-7, all[^1].Quantity);
        Assert.Equal(all.Select(e => e.Id).Distinct().Order(), all.Select(e => e.Id));
    }

    [Fact]
    public async Task Ledger_dates_are_the_account_s_local_days()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 10, 22, 30, 0, TimeSpan.Zero)); // 23:30 in Rome
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10);
        await h.AdvanceAsync(TimeSpan.FromHours(1)); // 00:30 on the 11th in Rome
        await h.GrantAsync(id, 20);

        var tenth = await h.Queries.GetLedgerAsync(id, new LedgerFilter(null, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 10)));
        var eleventh = await h.Queries.GetLedgerAsync(id, new LedgerFilter(null, new DateOnly(2026, 11, 11)));

        Assert.Equal(10, Assert.Single(tenth.Items).Quantity);
        Assert.Equal(20, Assert.Single(eleventh.Items).Quantity);
    }

    [Fact]
    public async Task Audit_pages_newest_first_by_instant_even_when_ids_run_the_other_way()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var other = await h.CreateAccountAsync("Other");
        // Rows whose ids do not follow their instants (a backdated row), several sharing an instant, another account's rows between.
        var at = new[] { 5, 1, 3, 3, 3, 2, 4, 3, 0 };
        await using (var db = h.Db())
        {
            foreach (var minute in at)
            {
                db.AuditEntries.Add(new AuditEntry { AccountId = id, At = Start.AddMinutes(minute), Actor = "owner:o@x.test", Action = $"test.{minute}" });
                db.AuditEntries.Add(new AuditEntry { AccountId = other, At = Start.AddMinutes(minute), Actor = "owner:o@x.test", Action = "other" });
            }
            await db.SaveChangesAsync();
        }
        var creation = (await h.Queries.GetAuditAsync(id)).Items.Count - at.Length; // creating the account may audit too

        var paged = await FollowAsync(p => h.Queries.GetAuditAsync(id, p), 2);

        Assert.Equal(at.Length + creation, paged.Count);
        Assert.DoesNotContain(paged, a => a.Action == "other");
        Assert.Equal(paged.Select(a => a.Id).Distinct().Count(), paged.Count);
        var expected = paged.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id);
        Assert.Equal(expected, paged.Select(a => a.Id));
        Assert.Equal("test.5", paged[0].Action);
        Assert.Equal(paged.Count, await h.Queries.CountAuditAsync(id));

        // The same rows through a pager that jumps to page N.
        var byNumber = new List<AuditView>();
        for (var n = 0; n * 4 < paged.Count; n++) byNumber.AddRange((await h.Queries.GetAuditAsync(id, PageRequest.At(n, 4))).Items);
        Assert.Equal(paged.Select(a => a.Id), byNumber.Select(a => a.Id));
    }

    [Fact]
    public async Task Alerts_page_newest_first_and_an_alert_raised_while_paging_is_not_repeated()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        // R10: each 10,000 pack spent to 15%, 5% and 0 raises three alerts.
        for (var round = 0; round < 2; round++)
        {
            await h.BuyAsync(id, "email-10000");
            foreach (var spend in new[] { 8_500, 1_000, 500 })
            {
                await h.SendAsync(id, list, spend);
                await h.AdvanceAsync(TimeSpan.FromMinutes(1));
            }
        }
        Assert.Equal(6, await h.Queries.CountAlertsAsync(id));

        var first = await h.Queries.GetAlertsAsync(id, PageRequest.Following(null, 4));
        await h.BuyAsync(id, "email-10000");
        await h.SendAsync(id, list, 8_500); // a new LowBalance15, newer than everything read so far
        var second = await h.Queries.GetAlertsAsync(id, PageRequest.Following(first.Next, 4));

        Assert.Equal([AlertKind.Depleted, AlertKind.LowBalance5, AlertKind.LowBalance15, AlertKind.Depleted], first.Items.Select(a => a.Kind));
        Assert.Equal([AlertKind.LowBalance5, AlertKind.LowBalance15], second.Items.Select(a => a.Kind));
        Assert.Null(second.Next);
        Assert.Empty(first.Items.Select(a => a.Id).Intersect(second.Items.Select(a => a.Id)));
        Assert.Equal(AlertKind.LowBalance15, (await h.Queries.GetAlertsAsync(id, new PageRequest(1))).Items.Single().Kind);
        await h.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData(0, LedgerQueries.DefaultPageSize)]
    [InlineData(-3, LedgerQueries.DefaultPageSize)]
    [InlineData(5_000, LedgerQueries.MaxPageSize)]
    public async Task Page_size_is_clamped(int asked, int expected)
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await using (var db = h.Db())
        {
            for (var i = 0; i < LedgerQueries.MaxPageSize + 1; i++)
                db.AuditEntries.Add(new AuditEntry { AccountId = id, At = Start, Actor = "system", Action = "test" });
            await db.SaveChangesAsync();
        }

        var page = await h.Queries.GetAuditAsync(id, new PageRequest(asked));

        Assert.Equal(expected, page.Items.Count);
        Assert.NotNull(page.Next);
    }

    [Theory]
    [InlineData("638987364000000000.42", true)]
    [InlineData("0.0", true)]
    [InlineData("", false)]
    [InlineData(".42", false)]
    [InlineData("42", false)]
    [InlineData("-1.4", false)]
    [InlineData("1.-4", false)]
    [InlineData("99999999999999999999.1", false)]
    [InlineData("3155378975999999999.1", true)]
    [InlineData("3155378976000000000.1", false)] // past DateTimeOffset.MaxValue
    [InlineData("1.2.3", false)]
    public void A_cursor_reads_back_only_what_it_wrote(string text, bool valid)
    {
        Assert.Equal(valid, PageCursor.TryParse(text, out var cursor));
        if (valid) Assert.Equal(text, cursor.ToString());
    }
}
