namespace CreditPortal.Reports;

/// <summary>How report rows are bucketed in time (R12). Every bucket is made of the account's local dates.</summary>
public enum ReportGrouping
{
    Day,

    /// <summary>ISO 8601 weeks: Monday to Sunday in the account's time zone, numbered by ISO week-year ("2026-W53").</summary>
    Week,

    /// <summary>Calendar months in the account's time zone.</summary>
    Month,
}
