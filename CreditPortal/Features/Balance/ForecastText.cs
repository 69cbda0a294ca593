using CreditPortal.Formatting;

namespace CreditPortal.Features.Balance;

/// <summary>The run-out forecast in words, the same on the Balance page and the owner's Home.</summary>
public static class ForecastText
{
    /// <summary>Issue #17: what the forecast does with held credits (it walks only the credits that can be drawn).</summary>
    public static string Held(long held)
        => $"The forecast counts only the credits that can be spent now: the {PortalFormat.Credits(held)} held are planned sends, spent when they are captured.";

    public static string Describe(CreditForecast forecast, TimeZoneInfo zone)
    {
        var lost = forecast.LostToExpiry > 0 ? $" {PortalFormat.Credits(forecast.LostToExpiry)} of them expire before they would be used." : "";
        var rate = forecast.CreditsPerDay < 1 ? "less than 1 credit a day" : $"about {PortalFormat.Credits((long)Math.Round(forecast.CreditsPerDay))} credits a day";
        return forecast.Kind switch
        {
            ForecastKind.Unlimited => "Forecast: the Pro plan never runs out of credits.",
            ForecastKind.Empty => "Forecast: no credits left.",
            ForecastKind.NoRecentUse => $"Forecast: nothing was sent in the last {CreditForecast.WindowDays} days, so there is no rate to forecast from.",
            ForecastKind.BeyondHorizon => $"Forecast: at the last {CreditForecast.WindowDays} days' rate ({rate}) these credits last more than {CreditForecast.HorizonDays / 365} years.{lost}",
            _ => $"Forecast: at the last {CreditForecast.WindowDays} days' rate ({rate}) these credits run out around {PortalFormat.Date(forecast.RunsOutAt!.Value, zone)}.{lost} Future free top-ups and plan credits are not counted.",
        };
    }
}
