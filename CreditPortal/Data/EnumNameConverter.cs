using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreditPortal.Data;

/// <summary>Enums as their names (TEXT, see <see cref="StoredValues.Name{TEnum}"/>).</summary>
public sealed class EnumNameConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => StoredValues.Name(v),
    v => StoredValues.Enum<TEnum>(v))
    where TEnum : struct, Enum;
