using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace CreditPortal.Tests.Infrastructure;

public static partial class MarkupText
{
    /// <summary>An element's text as a reader sees it: runs of whitespace (markup indentation) as one space.</summary>
    public static string Text(this IElement element) => Whitespace().Replace(element.TextContent, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
