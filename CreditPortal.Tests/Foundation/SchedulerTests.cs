using CreditPortal.Clock;
using CreditPortal.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditPortal.Tests.Foundation;

public sealed class SchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Events at fixed instants; each one, when it runs, may plan a follow-up.</summary>
    private sealed class PlannedWork : IDueWork
    {
        public readonly SortedSet<DateTimeOffset> Due = [];
        public readonly List<DateTimeOffset> Ran = [];
        public Func<DateTimeOffset, DateTimeOffset?> FollowUp = _ => null;

        public Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            var count = 0;
            while (Due.Count > 0 && Due.Min <= now)
            {
                var at = Due.Min;
                Due.Remove(at);
                Ran.Add(at);
                if (FollowUp(at) is { } next) Due.Add(next);
                count++;
            }
            return Task.FromResult(count);
        }

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
            => Task.FromResult(Due.Count > 0 ? Due.Min : (DateTimeOffset?)null);
    }

    [Fact]
    public async Task Jump_over_three_month_starts_runs_three_events_in_order()
    {
        var clock = new ManualTimeProvider(Start);
        var work = new PlannedWork { FollowUp = at => at.AddMonths(1) };
        work.Due.Add(Start.AddMonths(1));
        var scheduler = new Scheduler([work], clock, NullLogger<Scheduler>.Instance);

        Assert.Equal(0, await scheduler.RunDueAsync());
        clock.MoveTo(Start.AddMonths(3).AddDays(2));
        Assert.Equal(3, await scheduler.RunDueAsync());
        Assert.Equal([Start.AddMonths(1), Start.AddMonths(2), Start.AddMonths(3)], work.Ran);
        Assert.Equal(Start.AddMonths(4), await scheduler.NextDueAsync(default));

        // A second run at the same instant repeats nothing.
        Assert.Equal(0, await scheduler.RunDueAsync());
    }

    [Fact]
    public async Task Work_made_due_by_another_work_runs_in_the_same_call()
    {
        var clock = new ManualTimeProvider(Start);
        var second = new PlannedWork();
        var first = new PlannedWork { FollowUp = at => { second.Due.Add(at); return null; } };
        first.Due.Add(Start);
        var scheduler = new Scheduler([second, first], clock, NullLogger<Scheduler>.Instance);

        Assert.Equal(2, await scheduler.RunDueAsync());
        Assert.Single(second.Ran);
    }

    [Fact]
    public async Task Hosted_scheduler_catches_up_on_start_and_runs_when_the_manual_clock_moves()
    {
        var clock = new ManualTimeProvider(Start.AddDays(10));
        var work = new PlannedWork();
        work.Due.Add(Start.AddDays(1));           // missed while "down"
        work.Due.Add(Start.AddDays(20));          // in the future
        var scheduler = new Scheduler([work], clock, NullLogger<Scheduler>.Instance, clock);

        await scheduler.StartAsync(default);
        try
        {
            await WaitUntil(() => work.Ran.Count == 1);
            Assert.Equal(Start.AddDays(1), work.Ran[0]);

            clock.MoveTo(Start.AddDays(21));
            await WaitUntil(() => work.Ran.Count == 2);
            Assert.Equal(Start.AddDays(20), work.Ran[1]);
        }
        finally
        {
            await scheduler.StopAsync(default);
        }
    }

    /// <summary>A work due now until it ran once; its run throws while <see cref="Broken"/>.</summary>
    private sealed class BrokenWork : IDueWork
    {
        public bool Broken = true;
        public int Runs;
        public string Kind => "broken";

        public Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Runs++;
            if (Broken) throw new InvalidOperationException("the work's own bug");
            Done = true;
            return Task.FromResult(1);
        }

        public bool Done;

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
            => Task.FromResult<DateTimeOffset?>(Done ? null : DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task A_kind_of_work_that_throws_is_set_aside_and_the_others_still_run_in_time_order()
    {
        var clock = new ManualTimeProvider(Start);
        var broken = new BrokenWork();
        var work = new PlannedWork { FollowUp = at => at.AddDays(1) };
        work.Due.Add(Start.AddDays(1));
        var setAside = new SetAsideWork(clock, Options.Create(new SchedulingOptions()), NullLogger<SetAsideWork>.Instance);
        var scheduler = new Scheduler([broken, work], clock, NullLogger<Scheduler>.Instance, setAside: setAside);

        clock.MoveTo(Start.AddDays(3).AddHours(1));
        Assert.Equal(3, await scheduler.RunDueAsync());

        Assert.Equal([Start.AddDays(1), Start.AddDays(2), Start.AddDays(3)], work.Ran);
        Assert.Equal(1, broken.Runs);
        var entry = Assert.Single(setAside.Current);
        Assert.Equal(("broken", (long?)null, clock.GetUtcNow().AddMinutes(1)), (entry.Kind, entry.AccountId, entry.RetryAt));
        // Until its retry it is neither asked nor run, and the scheduler sleeps until then at the latest.
        Assert.Equal(0, await scheduler.RunDueAsync());
        Assert.Equal(1, broken.Runs);
        Assert.Equal(entry.RetryAt, await scheduler.NextDueAsync(default));

        broken.Broken = false;
        clock.MoveTo(entry.RetryAt);
        Assert.Equal(1, await scheduler.RunDueAsync());
        Assert.Equal(2, broken.Runs);
        Assert.Empty(setAside.Current);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met in 10 s");
            await Task.Delay(10);
        }
    }
}
