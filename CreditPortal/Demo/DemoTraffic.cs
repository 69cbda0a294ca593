using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Ledger;

namespace CreditPortal.Demo;

/// <summary>One send of the demo account's sending systems: a list, a channel, messages, and for SMS the country.</summary>
public sealed record DemoSend(DateTimeOffset At, string List, Channel Channel, long Quantity, string? Country, string Reference);

/// <summary>The demo account's lists.</summary>
public static class DemoLists
{
    public const string Newsletter = "Newsletter";
    public const string Promotions = "Promotions";
    public const string Transactional = "Transactional";
    public const string EventReminders = "Event reminders";
    public const string CustomerCare = "Customer care";

    public static readonly IReadOnlyList<string> All = [Newsletter, Promotions, Transactional, EventReminders, CustomerCare];
}

/// <summary>
/// The everyday traffic of the demo account, in its own time zone: transactional mail every day (less at
/// weekends), the newsletter on Tuesdays, promotions on Thursdays (more in November and December, one in
/// August), event reminders on Fridays, a survey on Mondays, and SMS batches to several countries around
/// fixed days of the month. Volumes grow a little every month and follow the seasons. The same local date
/// always gives the same sends: each day's variation comes from a generator seeded by the date.
/// </summary>
public static class DemoTraffic
{
    private static readonly double[] Season = [0.9, 0.95, 1.0, 1.0, 1.05, 1.0, 0.85, 0.7, 1.0, 1.05, 1.25, 1.2];

    private static readonly (string Country, double Messages)[] EventReminderMix =
        [("IT", 110), ("FR", 35), ("DE", 25), ("ES", 30), ("GB", 20), ("US", 12), ("BR", 8)];

    private static readonly string[] PromotionNames = ["Weekend offers", "New arrivals", "Members' preview", "Last-minute tickets", "Season pass"];

    /// <summary>Every send from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in time order.</summary>
    /// <param name="historyStart">Where growth is counted from.</param>
    /// <param name="promotionsCap">The Promotions list's monthly cap (R6) at an instant: planned promotions stay below it.</param>
    public static List<DemoSend> Plan(DateTimeOffset from, DateTimeOffset to, DateTimeOffset historyStart, AccountCalendar calendar,
        Func<DateTimeOffset, long> promotionsCap)
    {
        var sends = new List<DemoSend>();
        var firstDay = calendar.LocalDate(historyStart);
        var promotionsInMonth = new Dictionary<(int Year, int Month), long>();
        for (var day = calendar.LocalDate(from); calendar.StartOfDay(day) < to; day = day.AddDays(1))
        {
            var random = new Random(day.DayNumber);
            var growth = 1 + 0.035 * (day.DayNumber - firstDay.DayNumber) / 30.44;
            var season = Season[day.Month - 1];
            double Vary(double spread) => 1 + spread * (2 * random.NextDouble() - 1);

            void Add(int hour, int minute, string list, Channel channel, double messages, string? country, string reference)
            {
                var at = calendar.ToInstant(day.ToDateTime(new TimeOnly(hour, minute)));
                var quantity = (long)Math.Round(messages);
                if (at >= from && at < to && quantity >= 1) sends.Add(new DemoSend(at, list, channel, quantity, country, reference));
            }

            // Transactional mail every day (the shop backend reports the day's order confirmations at once).
            var weekday = day.DayOfWeek switch { DayOfWeek.Saturday => 0.7, DayOfWeek.Sunday => 0.55, _ => 1.0 };
            Add(17, 40, DemoLists.Transactional, Channel.Email, 140 * weekday * season * growth * Vary(0.15), null, "Order confirmations");

            switch (day.DayOfWeek)
            {
                case DayOfWeek.Monday:
                    Add(9, 30, DemoLists.CustomerCare, Channel.Email, 320 * growth * Vary(0.1), null, "Satisfaction survey");
                    break;
                case DayOfWeek.Tuesday:
                    Add(10, 0, DemoLists.Newsletter, Channel.Email, 3_400 * growth * Vary(0.02), null,
                        string.Create(CultureInfo.InvariantCulture, $"Newsletter {ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):D2}"));
                    break;
                case DayOfWeek.Thursday:
                    AddPromotion(day, random, season * growth * Vary(0.1), promotionsInMonth, promotionsCap, calendar, from, to, sends);
                    break;
                case DayOfWeek.Friday:
                    Add(16, 0, DemoLists.EventReminders, Channel.Email, 800 * season * growth * Vary(0.2), null,
                        string.Create(CultureInfo.InvariantCulture, $"Weekend events {day:d MMM}"));
                    break;
            }

            // SMS batches around fixed days of the month, moved to the next weekday.
            if (IsBatchDay(day, 8) || IsBatchDay(day, 22))
            {
                var reference = string.Create(CultureInfo.InvariantCulture, $"Event reminders {day:d MMM}");
                foreach (var (country, messages) in EventReminderMix)
                    Add(11, 0, DemoLists.EventReminders, Channel.Sms, messages * season * growth * Vary(0.1), country, reference);
            }
            if (IsBatchDay(day, 15))
            {
                Add(15, 0, DemoLists.CustomerCare, Channel.Sms, 60 * growth * Vary(0.1), "IT", "Appointment reminders");
                Add(15, 0, DemoLists.CustomerCare, Channel.Sms, 15 * growth * Vary(0.1), "ES", "Appointment reminders");
            }
            if (IsBatchDay(day, 3) || IsBatchDay(day, 12) || IsBatchDay(day, 26))
            {
                Add(10, 30, DemoLists.Transactional, Channel.Sms, 25 * growth * Vary(0.2), "IT", "Delivery notices");
                Add(10, 30, DemoLists.Transactional, Channel.Sms, 5 * growth * Vary(0.2), "US", "Delivery notices");
            }
        }
        return sends;
    }

    /// <summary>The first weekday on or after <paramref name="date"/>.</summary>
    public static DateOnly Weekday(DateOnly date)
    {
        while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) date = date.AddDays(1);
        return date;
    }

    private static bool IsBatchDay(DateOnly day, int dayOfMonth) => Weekday(new DateOnly(day.Year, day.Month, dayOfMonth)) == day;

    /// <summary>Promotions go out on the first and third Thursday; every Thursday in November (the fourth is Black
    /// Friday's), the first three in December, only the first in August. A month's promotions stay under the cap.</summary>
    private static void AddPromotion(DateOnly day, Random random, double factor, Dictionary<(int, int), long> inMonth,
        Func<DateTimeOffset, long> cap, AccountCalendar calendar, DateTimeOffset from, DateTimeOffset to, List<DemoSend> sends)
    {
        var nth = (day.Day - 1) / 7;
        var (goesOut, name) = day.Month switch
        {
            11 => (true, nth == 3 ? "Black Friday" : "Black Friday preview"),
            12 => (nth <= 2, "Christmas gifts"),
            8 => (nth == 0, "Summer offers"),
            _ => (nth is 0 or 2, PromotionNames[random.Next(PromotionNames.Length)]),
        };
        if (!goesOut) return;
        var at = calendar.ToInstant(day.ToDateTime(new TimeOnly(11, 0)));
        var quantity = (long)Math.Round(2_400 * factor * (name == "Black Friday" ? 1.6 : 1.0));
        var month = (day.Year, day.Month);
        var sent = inMonth.GetValueOrDefault(month);
        quantity = Math.Min(quantity, cap(at) - 500 - sent);
        if (quantity < 500 || at < from || at >= to) return;
        inMonth[month] = sent + quantity;
        sends.Add(new DemoSend(at, DemoLists.Promotions, Channel.Email, quantity, null, name));
    }
}
