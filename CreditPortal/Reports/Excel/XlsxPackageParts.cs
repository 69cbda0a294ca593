using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using ExtendedProperties = DocumentFormat.OpenXml.ExtendedProperties;

namespace CreditPortal.Reports.Excel;

/// <summary>
/// The small parts of the package, written once every sheet is done (their content depends on the sheets):
/// the workbook, its relationships, the styles, the content types, the package relationships and the
/// document properties. Zip readers find entries through the central directory, so writing these after the
/// worksheets is fine.
/// </summary>
internal static class XlsxPackageParts
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string ContentTypesNamespace = "http://schemas.openxmlformats.org/package/2006/content-types";
    private const string WorksheetContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

    /// <summary>A finished sheet part: its final name, its part number and its auto-filter range.</summary>
    public sealed record WrittenSheet(string Name, int PartNumber, string FilterRange);

    public static string WorksheetEntryName(int partNumber) => $"xl/worksheets/sheet{partNumber}.xml";

    public static void WriteAll(ZipArchive zip, CompressionLevel compression, IReadOnlyList<WrittenSheet> sheets, XlsxStyles styles)
    {
        WriteElement(zip, compression, "xl/workbook.xml", Workbook(sheets));
        WriteElement(zip, compression, "xl/styles.xml", styles.ToStylesheet());
        WriteElement(zip, compression, "docProps/app.xml",
            new ExtendedProperties.Properties(new ExtendedProperties.Application("CreditPortal")));
        WriteXml(zip, compression, "docProps/core.xml", xml =>
        {
            const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
            const string dc = "http://purl.org/dc/elements/1.1/";
            xml.WriteStartElement("cp", "coreProperties", cp);
            xml.WriteAttributeString("xmlns", "dc", null, dc);
            xml.WriteElementString("dc", "creator", dc, "CreditPortal");
            xml.WriteEndElement();
        });
        WriteXml(zip, compression, "xl/_rels/workbook.xml.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipsNamespace);
            foreach (var sheet in sheets)
            {
                Relationship(xml, SheetRelationshipId(sheet), RelationshipsNamespace + "/worksheet", $"worksheets/sheet{sheet.PartNumber}.xml");
            }
            Relationship(xml, "rIdStyles", RelationshipsNamespace + "/styles", "styles.xml");
            xml.WriteEndElement();
        });
        WriteXml(zip, compression, "_rels/.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipsNamespace);
            Relationship(xml, "rId1", RelationshipsNamespace + "/officeDocument", "xl/workbook.xml");
            Relationship(xml, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml");
            Relationship(xml, "rId3", RelationshipsNamespace + "/extended-properties", "docProps/app.xml");
            xml.WriteEndElement();
        });
        WriteXml(zip, compression, "[Content_Types].xml", xml =>
        {
            xml.WriteStartElement("Types", ContentTypesNamespace);
            Default(xml, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(xml, "xml", "application/xml");
            Override(xml, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            foreach (var sheet in sheets) Override(xml, "/" + WorksheetEntryName(sheet.PartNumber), WorksheetContentType);
            Override(xml, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            Override(xml, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
            Override(xml, "/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
            xml.WriteEndElement();
        });
    }

    private static Workbook Workbook(IReadOnlyList<WrittenSheet> sheets)
    {
        var sheetList = new Sheets();
        // Excel only shows (and keeps) an auto-filter whose range is also the sheet's hidden
        // _xlnm._FilterDatabase name; that is what Excel itself writes next to every autoFilter.
        var definedNames = new DefinedNames();
        for (var i = 0; i < sheets.Count; i++)
        {
            var sheet = sheets[i];
            sheetList.Append(new Sheet { Name = sheet.Name, SheetId = (uint)(i + 1), Id = SheetRelationshipId(sheet) });
            definedNames.Append(new DefinedName(QuotedSheetName(sheet.Name) + "!" + Absolute(sheet.FilterRange))
            {
                Name = "_xlnm._FilterDatabase", LocalSheetId = (uint)i, Hidden = true,
            });
        }

        var workbook = new Workbook(
            new BookViews(new WorkbookView { ActiveTab = 0 }),
            sheetList,
            definedNames);
        workbook.AddNamespaceDeclaration("r", RelationshipsNamespace);
        return workbook;
    }

    /// <summary>'Name' with apostrophes doubled: valid for every sheet name, whatever characters it has.</summary>
    internal static string QuotedSheetName(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>"A1:G12" → "$A$1:$G$12".</summary>
    internal static string Absolute(string range)
    {
        var builder = new StringBuilder(range.Length + 4);
        var previousWasLetter = false;
        foreach (var c in range)
        {
            if (char.IsAsciiLetter(c) && !previousWasLetter) builder.Append('$');
            if (char.IsAsciiDigit(c) && previousWasLetter) builder.Append('$');
            builder.Append(c);
            previousWasLetter = char.IsAsciiLetter(c);
        }
        return builder.ToString();
    }

    private static string SheetRelationshipId(WrittenSheet sheet) => "rIdSheet" + sheet.PartNumber;

    private static void WriteElement(ZipArchive zip, CompressionLevel compression, string entryName, OpenXmlElement root)
    {
        using var stream = zip.CreateEntry(entryName, compression).Open(); // OpenXmlWriter does not close it
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument(true);
        writer.WriteElement(root);
        writer.Close();
    }

    private static void WriteXml(ZipArchive zip, CompressionLevel compression, string entryName, Action<XmlWriter> write)
    {
        using var stream = zip.CreateEntry(entryName, compression).Open();
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static void Relationship(XmlWriter xml, string id, string type, string target)
    {
        xml.WriteStartElement("Relationship", PackageRelationshipsNamespace);
        xml.WriteAttributeString("Id", id);
        xml.WriteAttributeString("Type", type);
        xml.WriteAttributeString("Target", target);
        xml.WriteEndElement();
    }

    private static void Default(XmlWriter xml, string extension, string contentType)
    {
        xml.WriteStartElement("Default", ContentTypesNamespace);
        xml.WriteAttributeString("Extension", extension);
        xml.WriteAttributeString("ContentType", contentType);
        xml.WriteEndElement();
    }

    private static void Override(XmlWriter xml, string partName, string contentType)
    {
        xml.WriteStartElement("Override", ContentTypesNamespace);
        xml.WriteAttributeString("PartName", partName);
        xml.WriteAttributeString("ContentType", contentType);
        xml.WriteEndElement();
    }
}
