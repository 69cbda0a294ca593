using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreditPortal.Data;

/// <summary>Money as whole ten-thousandths (INTEGER, see <see cref="StoredValues.Money(decimal)"/>) so sums in
/// SQLite stay exact; prices are rounded to cents before they are stored.</summary>
public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => StoredValues.Money(v),
    v => StoredValues.Money(v));
