using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>
/// axe-core on a live page (Deque.AxeCore.Playwright, <c>page.RunAxe()</c>). The portal's bar is issue #10's: no
/// serious or critical violation of WCAG 2.1 AA. The browser context must bypass the CSP (axe is injected as a
/// script); <see cref="BrowserFixture.NewContextAsync"/> does.
/// </summary>
public static class Accessibility
{
    public static async Task<AxeReport> CheckAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            // Experimental in axe, and named by the issue: a visible label the accessible name does not contain.
            Rules = new Dictionary<string, RuleOptions> { ["label-content-name-mismatch"] = new() { Enabled = true } },
        });
        return new AxeReport(result);
    }
}

/// <summary>What axe found on one page, and the failure message that names each offending element.</summary>
public sealed class AxeReport(AxeResult result)
{
    private readonly AxeResultItem[] _serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();

    public AxeResult Result { get; } = result;

    public IReadOnlyList<AxeResultItem> Serious => _serious;

    public string Summary => $"{Result.Violations.Length} violation(s), {_serious.Length} serious or critical"
        + (Result.Violations.Length == 0 ? "" : ": " + string.Join(", ", Result.Violations.Select(v => $"{v.Id} ({v.Impact}, {v.Nodes.Length})")));

    public void ThrowIfSerious(string where)
    {
        if (_serious.Length == 0) return;
        var lines = _serious.SelectMany(v => v.Nodes.Select(n =>
            $"  {v.Id} [{v.Impact}] {v.Help}\n    at {n.Target}\n    {Trim(n.Html)}\n    {Why(n)}"));
        throw new Xunit.Sdk.XunitException($"axe-core: {_serious.Length} serious/critical WCAG violation(s) on {where}:\n" + string.Join("\n", lines));
    }

    private static string Why(AxeResultNode node)
        => string.Join(" ", new[] { node.Any, node.All, node.None }.Where(c => c is not null).SelectMany(c => c).Select(c => c.Message));

    private static string Trim(string html) => html.Length <= 240 ? html : html[..240] + "…";
}
