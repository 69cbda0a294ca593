using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreditPortal.Data;

/// <summary>Instants are stored as UTC ticks (INTEGER): sortable and comparable inside SQLite.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
