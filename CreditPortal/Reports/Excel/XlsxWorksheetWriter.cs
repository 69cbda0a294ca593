using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CreditPortal.Reports.Excel;

/// <summary>
/// Writes one worksheet part row by row with <see cref="OpenXmlWriter"/>, so nothing of the sheet stays in
/// memory: header row, frozen pane, column widths, the rows, and at the end the auto-filter (its range is
/// known only then; the schema puts <c>autoFilter</c> after <c>sheetData</c>, which allows exactly that).
/// </summary>
internal sealed class XlsxWorksheetWriter : IDisposable
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    // Reused for every row and cell: OpenXmlWriter only reads their names, so one instance of each suffices.
    private readonly Row _row = new();
    private readonly Cell _cell = new();
    private readonly CellValue _value = new();
    private readonly InlineString _inlineString = new();
    private readonly Text _text = new();
    private readonly List<OpenXmlAttribute> _attributes = new(3);
    private readonly OpenXmlAttribute[] _preserveSpace = [new("xml", "space", XmlNamespace, "preserve")];

    private readonly XlsxSheetLayout _layout;
    private readonly Stream _partStream;
    private readonly OpenXmlWriter _writer;
    private bool _finished;

    public XlsxWorksheetWriter(Stream partStream, XlsxSheetLayout layout, bool selected)
    {
        _layout = layout;
        _partStream = partStream;
        _writer = OpenXmlWriter.Create(partStream);
        _writer.WriteStartDocument(true);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteElement(FrozenHeaderView(selected));
        _writer.WriteElement(ColumnWidths(layout));
        _writer.WriteStartElement(new SheetData());
        WriteHeaderRow();
    }

    /// <summary>Rows written so far, the header included; also the number of the last row.</summary>
    public int RowCount { get; private set; }

    /// <summary>The auto-filter range over the header and every data row, e.g. <c>A1:G123</c>.</summary>
    public string FilterRange => $"A1:{_layout.LastLetters}{RowCount}";

    public void WriteRow(ReadOnlySpan<XlsxCell> cells)
    {
        var rowNumber = StartRow();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            switch (cell.Kind)
            {
                case XlsxCellKind.Empty:
                    break; // an absent <c> is an empty cell
                case XlsxCellKind.Text:
                    WriteText(i, rowNumber, XlsxText.ForCell(cell.TextValue), StyleOfText(cell.TextValue));
                    break;
                case XlsxCellKind.Integer:
                    WriteNumber(i, rowNumber, cell.IntegerValue.ToString(CultureInfo.InvariantCulture));
                    break;
                case XlsxCellKind.Decimal:
                    WriteNumber(i, rowNumber, cell.DecimalValue.ToString(CultureInfo.InvariantCulture));
                    break;
                case XlsxCellKind.Date:
                    WriteNumber(i, rowNumber, XlsxSerialDate.Format(cell.DateValue));
                    break;
            }
        }
        _writer.WriteEndElement(); // row
    }

    /// <summary>Closes sheetData, adds the auto-filter and closes the part's stream.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        _writer.WriteEndElement(); // sheetData
        _writer.WriteElement(new AutoFilter { Reference = FilterRange });
        _writer.WriteEndElement(); // worksheet
        _writer.Close();
        _partStream.Dispose(); // OpenXmlWriter leaves it open; the archive needs the entry closed
    }

    /// <summary>Releases the part without finishing it (an abandoned workbook).</summary>
    public void Dispose()
    {
        _finished = true;
        _writer.Dispose();
        _partStream.Dispose();
    }

    private void WriteHeaderRow()
    {
        var rowNumber = StartRow();
        for (var i = 0; i < _layout.Headers.Length; i++)
        {
            WriteText(i, rowNumber, _layout.Headers[i], XlsxStyles.Header);
        }
        _writer.WriteEndElement();
    }

    private string StartRow()
    {
        var rowNumber = (++RowCount).ToString(CultureInfo.InvariantCulture);
        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", string.Empty, rowNumber));
        _writer.WriteStartElement(_row, _attributes);
        return rowNumber;
    }

    private void WriteNumber(int column, string rowNumber, string value)
    {
        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", string.Empty, _layout.Letters[column] + rowNumber));
        var style = _layout.Styles[column];
        if (style != XlsxStyles.Default) _attributes.Add(new OpenXmlAttribute("s", string.Empty, StyleText(style)));
        _writer.WriteStartElement(_cell, _attributes);
        _writer.WriteStartElement(_value);
        _writer.WriteString(value);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
    }

    /// <summary>Text is always an inline string: Excel shows it as it is and never evaluates it.</summary>
    private void WriteText(int column, string rowNumber, string safeText, uint style)
    {
        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", string.Empty, _layout.Letters[column] + rowNumber));
        if (style != XlsxStyles.Default) _attributes.Add(new OpenXmlAttribute("s", string.Empty, StyleText(style)));
        _attributes.Add(new OpenXmlAttribute("t", string.Empty, "inlineStr"));
        _writer.WriteStartElement(_cell, _attributes);
        _writer.WriteStartElement(_inlineString);
        if (NeedsPreservedSpace(safeText)) _writer.WriteStartElement(_text, _preserveSpace);
        else _writer.WriteStartElement(_text);
        _writer.WriteString(safeText);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteEndElement();
    }

    private static uint StyleOfText(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? XlsxStyles.QuotedText : XlsxStyles.Default;

    private static bool NeedsPreservedSpace(string text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.Contains('\n'));

    private static readonly string[] SmallStyleTexts = Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static string StyleText(uint style) =>
        style < SmallStyleTexts.Length ? SmallStyleTexts[style] : style.ToString(CultureInfo.InvariantCulture);

    private static SheetViews FrozenHeaderView(bool selected) =>
        new(new SheetView(
            new Pane
            {
                VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        {
            TabSelected = selected, WorkbookViewId = 0,
        });

    private static Columns ColumnWidths(XlsxSheetLayout layout)
    {
        var columns = new Columns();
        for (var i = 0; i < layout.Columns.Length; i++)
        {
            var number = (uint)(i + 1);
            columns.Append(new Column { Min = number, Max = number, Width = layout.Columns[i].Width, CustomWidth = true });
        }
        return columns;
    }
}
