using System.Globalization;

namespace CreditPortal.Reports.Excel;

/// <summary>Excel's date serial numbers (days since 1899-12-30, the fraction is the time of day).</summary>
internal static class XlsxSerialDate
{
    /// <summary>
    /// Excel treats 1900 as a leap year, so its serials agree with OLE Automation dates only from 1900-03-01
    /// on. Report data is never that old; earlier dates are refused rather than shown a day off.
    /// </summary>
    public static readonly DateTime FirstDate = new(1900, 3, 1);

    /// <summary>
    /// The serial of a local wall-clock time, as text for the cell. No time-zone conversion: the value is
    /// written as the clock reads (its <see cref="DateTime.Kind"/> is ignored).
    /// </summary>
    public static string Format(DateTime localValue)
    {
        var serial = DateTime.SpecifyKind(localValue, DateTimeKind.Unspecified).ToOADate();
        return serial.ToString("R", CultureInfo.InvariantCulture);
    }
}
