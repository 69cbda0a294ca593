using System.Globalization;

namespace CreditPortal.Ledger;

/// <summary>
/// Where a page of a history ended: the last row's instant and id. The next page starts right after it in the
/// same order, so a page deep in a long history costs what the first one does (keyset paging on the
/// <c>(AccountId, At)</c> indexes; the id breaks ties between rows of the same instant). Its text form is what the
/// API puts in <c>next</c> links: treat it as opaque and pass it back unchanged.
/// </summary>
public readonly record struct PageCursor(DateTimeOffset At, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id}");

    /// <summary>Reads what <see cref="ToString"/> wrote; false for anything else.</summary>
    public static bool TryParse(string? text, out PageCursor cursor)
    {
        cursor = default;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0) return false;
        if (!long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
