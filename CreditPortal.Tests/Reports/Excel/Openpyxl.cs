using System.Diagnostics;
using System.Text.Json;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>
/// Opens an .xlsx with Debian's python3-openpyxl (installed by test.sh), independently of the code that
/// wrote it, and returns what openpyxl sees (describe_xlsx.py beside this file).
/// </summary>
public static class Openpyxl
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string Script => Path.Combine(RepoPaths.Root, "CreditPortal.Tests", "Reports", "Excel", "describe_xlsx.py");

    public static Workbook Describe(byte[] xlsx, int maxRowsPerSheet = 1000)
    {
        var path = Path.Combine(Path.GetTempPath(), $"creditportal-xlsx-{Guid.NewGuid():N}.xlsx");
        File.WriteAllBytes(path, xlsx);
        try
        {
            var output = Run(path, maxRowsPerSheet);
            return JsonSerializer.Deserialize<Workbook>(output, Json) ?? throw new InvalidOperationException("openpyxl printed null");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>openpyxl's error when it cannot open the file, or null when it can.</summary>
    public static string? OpenError(byte[] xlsx)
    {
        try
        {
            Describe(xlsx);
            return null;
        }
        catch (OpenpyxlFailed failed)
        {
            return failed.Message;
        }
    }

    private static string Run(string path, int maxRowsPerSheet)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(maxRowsPerSheet.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("openpyxl took more than 2 minutes");
        }
        if (process.ExitCode != 0) throw new OpenpyxlFailed($"openpyxl exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    public sealed class OpenpyxlFailed(string message) : Exception(message);

    public sealed record Workbook(
        List<Sheet> Sheets,
        List<DefinedName> DefinedNames,
        Dictionary<string, int> FormulaElements,
        string? ZipCrcError,
        List<string> Warnings)
    {
        public Sheet this[string name] => Sheets.Single(s => s.Name == name);
    }

    public sealed record Sheet(
        string Name,
        string? FreezePanes,
        string? AutoFilter,
        int MaxRow,
        int MaxColumn,
        Dictionary<string, double> ColumnWidths,
        List<List<Cell>> Rows)
    {
        /// <summary>A cell by 1-based row and column, as in Excel.</summary>
        public Cell this[int row, int column] => Rows[row - 1][column - 1];
    }

    public sealed record DefinedName(string Name, int? LocalSheetId, bool Hidden, string Value);

    public sealed record Cell(
        string Ref,
        string PythonType,
        string DataType,
        string NumberFormat,
        JsonElement Value,
        bool Bold,
        bool QuotePrefix)
    {
        public string? Text => Value.ValueKind == JsonValueKind.Null ? null : Value.ToString();
    }
}
