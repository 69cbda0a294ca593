using System.Globalization;
using System.Text;

namespace CreditPortal.Reports;

/// <summary>
/// The name of a report download: <c>creditportal-&lt;account-slug&gt;-&lt;from&gt;_&lt;to&gt;.xlsx</c>, so a folder of
/// downloads sorts by account and range and tells them apart. Only lowercase ASCII letters, digits and dashes,
/// so it needs no escaping in any header or file system.
/// </summary>
public static class ReportFileName
{
    private const int MaxSlugLength = 40;

    public static string For(ReportAccount account, ReportRange range, string extension = "xlsx")
        => string.Create(CultureInfo.InvariantCulture, $"creditportal-{Slug(account)}-{range.From:yyyy-MM-dd}_{range.To:yyyy-MM-dd}.{extension}");

    /// <summary>"Café Über GmbH" → "cafe-uber-gmbh"; a name with no letters or digits left → "account-42".</summary>
    public static string Slug(ReportAccount account)
    {
        var builder = new StringBuilder(MaxSlugLength);
        var dash = false;
        foreach (var c in account.Name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue; // é → e
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (dash && builder.Length > 0) builder.Append('-');
                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else
            {
                dash = true;
            }
            if (builder.Length >= MaxSlugLength) break;
        }
        var slug = builder.ToString().TrimEnd('-');
        return slug.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"account-{account.Id}") : slug;
    }
}
