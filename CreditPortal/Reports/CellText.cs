using System.Text;

namespace CreditPortal.Reports;

/// <summary>
/// Makes any .NET string safe as the text of an Excel cell, so that the file always opens and shows the text
/// literally. SpreadCheetah drops C0 control characters too, but writes U+FFFE/U+FFFF (not XML) as they are and
/// knows neither Excel's 32,767-character cell limit nor Excel's own <c>_xHHHH_</c> escapes.
/// </summary>
internal static class CellText
{
    /// <summary>Excel refuses (reports the file as damaged) a cell with more characters than this.</summary>
    public const int MaxCellLength = 32_767;

    /// <summary>
    /// In this order: removes what XML 1.0 cannot carry (control characters other than tab/CR/LF,
    /// U+FFFE/U+FFFF; a lone surrogate becomes U+FFFD); cuts the text at Excel's cell limit; escapes literal
    /// <c>_xHHHH_</c> sequences as <c>_x005F_xHHHH_</c> because Excel decodes <c>_xHHHH_</c> in cell text as
    /// a character code (ECMA-376 ST_Xstring). Returns the same instance when nothing needs changing, the
    /// common case, so ordinary text costs no allocation.
    /// </summary>
    public static string ForCell(string value)
    {
        var text = StripNonXml(value);
        if (text.Length > MaxCellLength)
        {
            var cut = MaxCellLength;
            if (char.IsLowSurrogate(text[cut])) cut--; // never split a surrogate pair
            text = text[..cut];
        }
        return EscapeEscapes(text);
    }

    /// <summary>The text without what XML 1.0 cannot carry; a lone surrogate becomes U+FFFD.</summary>
    public static string StripNonXml(string value)
    {
        var first = 0;
        while (first < value.Length && value[first] >= '\u0020' && value[first] < '\uD800') first++;
        if (first == value.Length) return value;

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (c is '\t' or '\n' or '\r' || (c >= '\u0020' && c <= '\uFFFD'))
            {
                builder.Append(c);
            }
            // anything else cannot appear in an XML 1.0 document at all: dropped
        }
        return builder.ToString();
    }

    private static string EscapeEscapes(string text)
    {
        var first = IndexOfEscapeLike(text, 0);
        if (first < 0) return text;

        var builder = new StringBuilder(text.Length + 12);
        var copied = 0;
        for (var at = first; at >= 0; at = IndexOfEscapeLike(text, at + 1))
        {
            builder.Append(text, copied, at - copied).Append("_x005F");
            copied = at;
        }
        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where the next <c>_xHHHH_</c> starts at or after <paramref name="from"/>, or -1.</summary>
    private static int IndexOfEscapeLike(string text, int from)
    {
        for (var i = text.IndexOf("_x", from, StringComparison.Ordinal); i >= 0; i = text.IndexOf("_x", i + 1, StringComparison.Ordinal))
        {
            if (i + 7 <= text.Length && text[i + 6] == '_' && char.IsAsciiHexDigit(text[i + 2]) && char.IsAsciiHexDigit(text[i + 3])
                && char.IsAsciiHexDigit(text[i + 4]) && char.IsAsciiHexDigit(text[i + 5]))
            {
                return i;
            }
        }
        return -1;
    }
}
