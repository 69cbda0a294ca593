using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreditPortal.Data;

/// <summary>Money is stored as whole ten-thousandths (INTEGER) so sums in SQLite stay exact; prices are
/// rounded to cents before they are stored.</summary>
public sealed class DecimalCentsConverter() : ValueConverter<decimal, long>(
    v => (long)decimal.Round(v * 10_000m, 0, MidpointRounding.AwayFromZero),
    v => v / 10_000m);
