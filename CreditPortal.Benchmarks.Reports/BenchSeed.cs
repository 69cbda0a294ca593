using System.Diagnostics;
using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Benchmarks.Reports;

/// <summary>
/// Seeds one account in Europe/Rome with a million consumptions over two years, consistent the way the ledger
/// keeps it: the account, its lists and two large non-expiring adjustment lots go through the real ledger;
/// the consumptions are then bulk-inserted with the ledger writer's own SQL shapes (LedgerStore) in large
/// transactions: each accepted one with its Consumption ledger entry drawing from the lot, each refused one
/// without, ListDailyUsage holding their per-day totals and the lots' remaining lowered by what was drawn.
/// The ledger check must pass on the result.
/// </summary>
public static class BenchSeed
{
    public static readonly DateOnly LastDay = new(2026, 11, 21);
    public const string AccountName = "Benchmark Mail Co.";

    private static readonly string[] ListNames =
    [
        "Newsletter", "Transactional", "Promotions", "Onboarding", "Receipts", "Alerts", "Weekly digest", "Events", "Surveys", "Partners",
        "=SUM(A1:A9)", "Re-engagement", "Webinars", "Product updates", "Feedback", "Reminders",
    ];

    private static readonly (string Country, int Rate, double Share)[] Countries = [("IT", 1, 0.5), ("FR", 1, 0.2), ("US", 2, 0.2), ("BR", 3, 0.1)];

    public static async Task RunAsync(BenchOptions o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(o.Db)!);
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(o.Db + suffix);
        var total = Stopwatch.StartNew();
        var calendar = new AccountCalendar("Europe/Rome");
        var firstDay = LastDay.AddDays(1 - o.Days);

        // 1. Schema and the account through the real ledger.
        var step = Stopwatch.StartNew();
        await using (var db = new CreditPortalDbContext(new DbContextOptionsBuilder<CreditPortalDbContext>().UseSqlite(o.ConnectionString).Options))
            await db.Database.MigrateAsync();
        long accountId, emailLot, smsLot;
        var lists = new List<(long Id, string Name)>();
        await using (var ledger = BenchLedger.Start(o, calendar.StartOfDay(firstDay.AddDays(-1)).AddHours(9)))
        {
            accountId = await ledger.Ledger.CreateAccountAsync(new NewAccount(AccountName, "Europe/Rome"), Actor.System);
            foreach (var name in ListNames.Take(o.Lists))
                lists.Add((await ledger.Ledger.CreateListAsync(accountId, name, Actor.System), name));
            emailLot = await ledger.Ledger.GrantAdjustmentAsync(accountId, Channel.Email, 1_000_000_000, null, "benchmark credits", Actor.Support("bench@example.test"));
            smsLot = await ledger.Ledger.GrantAdjustmentAsync(accountId, Channel.Sms, 1_000_000_000, null, "benchmark credits", Actor.Support("bench@example.test"));
        }
        Figures.Print("seed_ledger_setup", step.Elapsed.TotalSeconds, "s");

        // 2. The consumptions, in time order, a large transaction at a time.
        step.Restart();
        await using var connection = new SqliteConnection(o.ConnectionString);
        await connection.OpenAsync();
        Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
        var wallets = new Dictionary<string, long>();
        using (var q = connection.CreateCommand())
        {
            q.CommandText = "SELECT Channel, Id FROM Wallets WHERE AccountId = $a";
            q.Parameters.AddWithValue("$a", accountId);
            using var r = q.ExecuteReader();
            while (r.Read()) wallets[r.GetString(0)] = r.GetInt64(1);
        }

        var insertConsumption = Prepare(connection, """
            INSERT INTO Consumptions (AccountId, WalletId, ListId, Channel, Quantity, Country, CreditsPerMessage, Credits, Status,
              InitialStatus, Reason, InitialReason, Reference, IdempotencyKey, RequestHash, RequestedAt, DecidedAt, Unmetered, Actor)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p8, $p9, $p9, $p10, $p11, $p12, $p13, $p13, 0, $p14) RETURNING Id
            """, 15);
        var insertEntry = Prepare(connection, """
            INSERT INTO LedgerEntries (AccountId, WalletId, Channel, At, Kind, Quantity, AssignedDelta, LotId, ListId, ConsumptionId,
              OrderId, Actor, Reason, Detail)
            VALUES ($p0, $p1, $p2, $p3, 'Consumption', $p4, 0, $p5, $p6, $p7, NULL, $p8, NULL, NULL)
            """, 9);

        var random = new Random(20261122);
        var weights = lists.Select((_, k) => 1.0 / (k + 1)).ToArray();
        var weightSum = weights.Sum();
        var usage = new Dictionary<(long List, string Channel, DateOnly Day), long[]>();
        long drawnEmail = 0, drawnSms = 0;
        const string actor = "api-key:newsletter-engine (#1)";
        const int perTransaction = 100_000;
        var transaction = connection.BeginTransaction();
        Enlist(transaction, insertConsumption, insertEntry);
        var n = 0;
        for (var d = 0; d < o.Days; d++)
        {
            var day = firstDay.AddDays(d);
            var count = (int)((long)o.Consumptions * (d + 1) / o.Days - (long)o.Consumptions * d / o.Days);
            var start = calendar.StartOfDay(day);
            var length = (calendar.StartOfDay(day.AddDays(1)) - start).Ticks; // 23, 24 or 25 hours
            var times = new long[count];
            for (var i = 0; i < count; i++) times[i] = start.UtcTicks + (long)(Math.Pow(random.NextDouble(), 0.8) * length);
            Array.Sort(times);
            foreach (var ticks in times)
            {
                var list = Pick(random, lists, weights, weightSum);
                var sms = random.NextDouble() < 0.15;
                var channel = sms ? "Sms" : "Email";
                string? country = null;
                var rate = 1;
                long quantity;
                if (sms)
                {
                    (country, rate) = PickCountry(random);
                    quantity = 1 + (long)(Math.Pow(random.NextDouble(), 3) * 400);
                }
                else
                {
                    quantity = 1 + (long)(Math.Pow(random.NextDouble(), 3) * 1_600);
                }
                var credits = quantity * rate;
                var roll = random.NextDouble();
                var reason = roll < 0.01 ? ConsumptionReasons.MonthlyCap : roll < 0.03 ? ConsumptionReasons.InsufficientCredits : null;
                var status = reason is null ? "Accepted" : "Rejected";
                string? reference = random.NextDouble() < 0.7 ? $"{list.Name} {day:yyyy-MM-dd} batch {random.Next(1, 40)}" : null;

                var id = insertConsumption.ExecuteLong(accountId, wallets[channel], list.Id, channel, quantity, country, rate, credits, status, reason,
                    reference, $"seed-{n}", n.ToString("x32", CultureInfo.InvariantCulture), ticks, actor);
                var totals = usage.TryGetValue((list.Id, channel, day), out var t) ? t : usage[(list.Id, channel, day)] = new long[5];
                if (reason is null)
                {
                    insertEntry.Execute(accountId, wallets[channel], channel, ticks, -credits, sms ? smsLot : emailLot, list.Id, id, actor);
                    if (sms) drawnSms += credits; else drawnEmail += credits;
                    totals[0] += quantity;
                    totals[1] += credits;
                    totals[2]++;
                }
                else
                {
                    totals[3]++;
                    totals[4] += quantity;
                }
                if (++n % perTransaction == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction();
                    Enlist(transaction, insertConsumption, insertEntry);
                }
            }
        }

        // 3. The per-day totals and the lots' remaining, as the writer would have left them.
        using (var insertUsage = Prepare(connection, """
                   INSERT INTO ListDailyUsage (AccountId, ListId, Channel, LocalDate, Messages, Credits, Accepted, Rejected, RejectedMessages)
                   VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8)
                   """, 9))
        {
            Enlist(transaction, insertUsage);
            foreach (var ((list, channel, day), t) in usage)
                insertUsage.Execute(accountId, list, channel, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t[0], t[1], t[2], t[3], t[4]);
        }
        using (var draw = Prepare(connection, "UPDATE Lots SET Remaining = Remaining - $p1 WHERE Id = $p0", 2))
        {
            Enlist(transaction, draw);
            draw.Execute(emailLot, drawnEmail);
            draw.Execute(smsLot, drawnSms);
        }
        transaction.Commit();
        transaction.Dispose();
        insertConsumption.Dispose();
        insertEntry.Dispose();
        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var insertSeconds = step.Elapsed.TotalSeconds;
        Figures.Print("seed_bulk_insert", insertSeconds, "s");
        Figures.Print("seed_consumptions", n, "rows");
        Figures.Print("seed_usage_rows", usage.Count, "rows");
        Figures.Print("seed_rate", n / insertSeconds, "consumptions/s");
        Figures.Print("seed_total", total.Elapsed.TotalSeconds, "s");
        Figures.Print("db_size", new FileInfo(o.Db).Length / 1024.0 / 1024.0, "MiB");
    }

    public static async Task CheckAsync(BenchOptions o)
    {
        var watch = Stopwatch.StartNew();
        var differences = await new LedgerCheck(new PortalDatabase(o.ConnectionString)).RunAsync();
        Figures.Print("ledger_check", watch.Elapsed.TotalSeconds, "s");
        Figures.Print("ledger_check_differences", differences.Count, "");
        foreach (var d in differences.Take(10)) Console.WriteLine("  " + d);
        if (differences.Count > 0) throw new InvalidOperationException("The seeded ledger is inconsistent.");
    }

    private static (long Id, string Name) Pick(Random random, List<(long Id, string Name)> lists, double[] weights, double sum)
    {
        var x = random.NextDouble() * sum;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return lists[i];
        }
        return lists[^1];
    }

    private static (string Country, int Rate) PickCountry(Random random)
    {
        var x = random.NextDouble();
        foreach (var (country, rate, share) in Countries)
        {
            x -= share;
            if (x < 0) return (country, rate);
        }
        return (Countries[^1].Country, Countries[^1].Rate);
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        return command;
    }

    private static void Enlist(SqliteTransaction transaction, params SqliteCommand[] commands)
    {
        foreach (var command in commands) command.Transaction = transaction;
    }

    private static void Bind(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static int Execute(this SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    private static long ExecuteLong(this SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return (long)command.ExecuteScalar()!;
    }
}
