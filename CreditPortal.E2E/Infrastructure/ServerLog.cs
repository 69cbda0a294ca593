namespace CreditPortal.E2E.Infrastructure;

/// <summary>Reads the app's console log as PortalServer starts it (simple formatter, no colours).</summary>
public static class ServerLog
{
    /// <summary>
    /// Entries at Error or Critical ("fail:"/"crit:" plus the indented lines that follow: message, exception)
    /// written after <paramref name="start"/>. A circuit that throws on the server shows up here even when the
    /// page hides it.
    /// </summary>
    public static IEnumerable<string> ErrorsIn(string log, int start = 0)
    {
        var lines = log[Math.Min(start, log.Length)..].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("fail:", StringComparison.Ordinal) && !lines[i].StartsWith("crit:", StringComparison.Ordinal)) continue;
            var entry = new List<string> { lines[i].TrimEnd() };
            while (i + 1 < lines.Length && lines[i + 1].StartsWith(' ')) entry.Add(lines[++i].TrimEnd());
            yield return string.Join("\n", entry);
        }
    }
}
