using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CreditPortal.Reports.Excel;

/// <summary>
/// The workbook's cell styles. Cells refer to a style by index before styles.xml exists (it is written when
/// the workbook closes, once every number format in use is known), so indexes are handed out as sheets begin.
/// </summary>
internal sealed class XlsxStyles
{
    /// <summary>Excel's "General".</summary>
    public const uint Default = 0;

    /// <summary>The bold header row.</summary>
    public const uint Header = 1;

    /// <summary>
    /// Text that starts like a formula (<c>= + - @</c>). It is already literal as an inline string; the quote
    /// prefix also keeps it literal when someone edits the cell in Excel and presses Enter.
    /// </summary>
    public const uint QuotedText = 2;

    private const uint FirstCustomNumberFormatId = 164;

    // Built-in number formats Excel knows by id; anything else gets a custom id from 164 on.
    private static readonly Dictionary<string, uint> BuiltInNumberFormats = new(StringComparer.Ordinal)
    {
        ["0"] = 1, ["0.00"] = 2, ["#,##0"] = 3, ["#,##0.00"] = 4, ["0%"] = 9, ["0.00%"] = 10,
    };

    private readonly Dictionary<string, uint> _styleByFormat = new(StringComparer.Ordinal);
    private readonly List<(uint NumberFormatId, string Code)> _numberFormatsInOrder = [];
    private readonly List<uint> _cellFormatNumberFormatIds = [];
    private uint _nextCustomId = FirstCustomNumberFormatId;

    /// <summary>The style index for cells shown with <paramref name="numberFormat"/> (null: General).</summary>
    public uint ForNumberFormat(string? numberFormat)
    {
        if (numberFormat is null) return Default;
        if (_styleByFormat.TryGetValue(numberFormat, out var existing)) return existing;

        if (!BuiltInNumberFormats.TryGetValue(numberFormat, out var numberFormatId))
        {
            numberFormatId = _nextCustomId++;
            _numberFormatsInOrder.Add((numberFormatId, numberFormat));
        }
        var style = QuotedText + 1 + (uint)_cellFormatNumberFormatIds.Count;
        _cellFormatNumberFormatIds.Add(numberFormatId);
        _styleByFormat.Add(numberFormat, style);
        return style;
    }

    public Stylesheet ToStylesheet()
    {
        var cellFormats = new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, QuotePrefix = true });
        foreach (var numberFormatId in _cellFormatNumberFormatIds)
        {
            cellFormats.Append(new CellFormat
            {
                NumberFormatId = numberFormatId, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true,
            });
        }
        cellFormats.Count = (uint)cellFormats.ChildElements.Count;

        var stylesheet = new Stylesheet();
        if (_numberFormatsInOrder.Count > 0)
        {
            var numberingFormats = new NumberingFormats { Count = (uint)_numberFormatsInOrder.Count };
            foreach (var (id, code) in _numberFormatsInOrder)
            {
                numberingFormats.Append(new NumberingFormat { NumberFormatId = id, FormatCode = code });
            }
            stylesheet.Append(numberingFormats);
        }
        stylesheet.Append(
            new Fonts(Font(bold: false), Font(bold: true)) { Count = 2 },
            // Excel expects these two fills first, whatever the cells use.
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            cellFormats,
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
        return stylesheet;
    }

    private static Font Font(bool bold)
    {
        var font = new Font();
        if (bold) font.Append(new Bold());
        font.Append(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }, new FontFamilyNumbering { Val = 2 });
        return font;
    }
}
