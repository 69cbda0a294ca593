using CreditPortal.Features.Balance;
using CreditPortal.Ledger;

namespace CreditPortal.Tests.Features.Balance;

public sealed class CreditForecastTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static LotView Lot(long remaining, DateTimeOffset? expires = null, long id = 1)
        => new(id, expires is null ? LotKind.Purchased : LotKind.MonthlyFree, remaining, remaining, expires, "test", Now.AddDays(-40));

    [Fact]
    public void Non_expiring_credits_run_out_after_remaining_divided_by_the_daily_rate()
    {
        // 3,000 in 30 days is 100 a day: 1,000 credits last 10 days.
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(1_000)], 3_000, Now);

        Assert.Equal(ForecastKind.RunsOut, forecast.Kind);
        Assert.Equal(100m, forecast.CreditsPerDay);
        Assert.Equal(Now.AddDays(10), forecast.RunsOutAt);
        Assert.Equal(0, forecast.LostToExpiry);
    }

    [Fact]
    public void An_expiring_lot_reached_only_after_its_expiry_is_lost_not_counted_as_time()
    {
        // R1: the 1,000 non-expiring go first (10 days); the 500 expiring in 5 days are gone by then.
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(1_000, id: 1), Lot(500, Now.AddDays(5), id: 2)], 3_000, Now);

        Assert.Equal(Now.AddDays(10), forecast.RunsOutAt);
        Assert.Equal(500, forecast.LostToExpiry);
    }

    [Fact]
    public void An_expiring_lot_only_partly_spent_before_its_expiry_loses_the_rest_and_the_next_lot_follows()
    {
        // 100 a day: of 1,000 expiring in 4 days, 400 are spent and 600 expire; the 200 after it last 2 more days.
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(1_000, Now.AddDays(4), id: 1), Lot(200, Now.AddDays(30), id: 2)], 3_000, Now);

        Assert.Equal(Now.AddDays(6), forecast.RunsOutAt);
        Assert.Equal(600, forecast.LostToExpiry);
    }

    [Fact]
    public void Lots_already_expired_or_empty_do_not_count()
    {
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(700, Now.AddMinutes(-1), id: 1), Lot(300, id: 2)], 3_000, Now);

        Assert.Equal(Now.AddDays(3), forecast.RunsOutAt);
        Assert.Equal(0, forecast.LostToExpiry);
    }

    [Fact]
    public void Pro_is_unlimited_even_without_lots()
        => Assert.Equal(ForecastKind.Unlimited, CreditForecast.Compute(Plan.Pro, [], 3_000, Now).Kind);

    [Fact]
    public void No_credits_is_empty_now()
    {
        var forecast = CreditForecast.Compute(Plan.Packs, [], 3_000, Now);
        Assert.Equal(ForecastKind.Empty, forecast.Kind);
        Assert.Equal(Now, forecast.RunsOutAt);
    }

    [Fact]
    public void Nothing_spent_in_the_window_gives_no_forecast()
    {
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(1_000)], 0, Now);
        Assert.Equal(ForecastKind.NoRecentUse, forecast.Kind);
        Assert.Null(forecast.RunsOutAt);
    }

    [Fact]
    public void A_tiny_rate_against_a_large_balance_is_beyond_the_horizon_without_overflowing()
    {
        var forecast = CreditForecast.Compute(Plan.Packs, [Lot(1_000_000_000)], 1, Now);
        Assert.Equal(ForecastKind.BeyondHorizon, forecast.Kind);
        Assert.Null(forecast.RunsOutAt);
    }
}
