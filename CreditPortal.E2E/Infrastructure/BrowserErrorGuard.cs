using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>
/// Collects what the browser reports as errors: <c>console.error</c> (Blazor logs circuit failures and
/// unhandled component exceptions there, Chromium logs failed resource loads there) and uncaught page
/// exceptions. A test that leaves any behind fails, even if everything it asserted looked right.
/// </summary>
public sealed class BrowserErrorGuard
{
    private readonly List<string> _errors = [];
    private readonly List<(Regex Pattern, string Why)> _allowed = [];
    private readonly Action<string>? _log;

    public BrowserErrorGuard(Action<string>? log = null) => _log = log;

    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    /// <summary>Listens on every page of the context, including pages it opens later (popups, new tabs).</summary>
    public void Watch(IBrowserContext context)
    {
        foreach (var page in context.Pages) Watch(page);
        context.Page += (_, page) => Watch(page);
    }

    public void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            var line = $"console.{message.Type} at {message.Location}: {message.Text}";
            _log?.Invoke(line);
            if (message.Type == "error") Add(line);
        };
        page.PageError += (_, error) =>
        {
            var line = $"uncaught exception on {page.Url}: {error}";
            _log?.Invoke(line);
            Add(line);
        };
    }

    /// <summary>
    /// Lets one test tolerate an error it provokes on purpose. Say why: the reason is printed with the failure
    /// list, and an entry that hides a real problem should be easy to spot in review.
    /// </summary>
    public void Allow(Regex pattern, string why)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        lock (_errors) _allowed.Add((pattern, why));
    }

    public IReadOnlyList<string> Unexpected
    {
        get { lock (_errors) return [.. _errors.Where(e => !_allowed.Any(a => a.Pattern.IsMatch(e)))]; }
    }

    public void AssertNone(string when)
    {
        var unexpected = Unexpected;
        if (unexpected.Count == 0) return;
        throw new Xunit.Sdk.XunitException(
            $"The browser reported {unexpected.Count} error(s) {when}:\n  " + string.Join("\n  ", unexpected));
    }

    private void Add(string line)
    {
        lock (_errors) _errors.Add(line);
    }
}
