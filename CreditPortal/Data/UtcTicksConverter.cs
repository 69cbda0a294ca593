using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreditPortal.Data;

/// <summary>Instants as UTC ticks (INTEGER, see <see cref="StoredValues.Instant(DateTimeOffset)"/>): sortable and
/// comparable inside SQLite.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => StoredValues.Instant(v),
    v => StoredValues.Instant(v));
