namespace CreditPortal.Reports.Excel;

/// <summary>
/// Hands out sheet names Excel accepts: at most 31 characters, none of <c>[]:*?/\</c>, not starting or
/// ending with an apostrophe, not blank, and unique within the workbook ignoring case (Excel compares
/// names case-insensitively).
/// </summary>
internal sealed class XlsxSheetNames
{
    public const int MaxLength = 31;

    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A valid, unused name as close to <paramref name="wanted"/> as possible; reserves it.</summary>
    public string Reserve(string wanted)
    {
        var name = Clean(wanted);
        if (_taken.Add(name)) return name;
        for (var n = 2; ; n++)
        {
            var candidate = Numbered(name, n);
            if (_taken.Add(candidate)) return candidate;
        }
    }

    /// <summary>
    /// The name of part <paramref name="number"/> (2, 3, …) of a sheet that went past Excel's row limit:
    /// "Consumptions (2)". Unique even if the caller already used that name for another sheet.
    /// </summary>
    public string ReserveContinuation(string firstPartName, int number)
    {
        for (var n = number; ; n++)
        {
            var candidate = Numbered(firstPartName, n);
            if (_taken.Add(candidate)) return candidate;
        }
    }

    /// <summary>"Name (n)", shortening the name rather than the suffix when it would pass 31 characters.</summary>
    private static string Numbered(string name, int n)
    {
        var suffix = $" ({n})";
        var room = MaxLength - suffix.Length;
        var stem = name.Length > room ? TrimEndApostrophes(CutAt(name, room)) : name;
        if (stem.Length == 0) stem = "Sheet";
        return stem + suffix;
    }

    private static string Clean(string wanted)
    {
        var chars = new List<char>(Math.Min(wanted.Length, 64));
        foreach (var c in XlsxText.StripNonXml(wanted))
        {
            if (c is '[' or ']' or ':' or '*' or '?' or '/' or '\\') chars.Add('_');
            else if (char.IsControl(c)) chars.Add(' ');
            else chars.Add(c);
        }
        var name = new string(chars.ToArray()).Trim();
        name = name.TrimStart('\'');
        name = CutAt(name, MaxLength);
        name = TrimEndApostrophes(name).Trim();
        return name.Length == 0 ? "Sheet" : name;
    }

    private static string CutAt(string name, int length)
    {
        if (name.Length <= length) return name;
        if (char.IsHighSurrogate(name[length - 1])) length--; // never leave half a surrogate pair
        return name[..length];
    }

    private static string TrimEndApostrophes(string name) => name.TrimEnd('\'');
}
