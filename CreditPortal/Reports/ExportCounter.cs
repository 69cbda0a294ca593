namespace CreditPortal.Reports;

/// <summary>Counts rows, reports progress every <see cref="ProgressEvery"/> rows and stops the export once cancelled.</summary>
internal sealed class ExportCounter(IProgress<ExportProgress>? progress, long total, CancellationToken cancellationToken)
{
    /// <summary>Rows between progress reports and cancellation checks: often enough to feel live, rarely enough to cost nothing.</summary>
    internal const int ProgressEvery = 1_000;

    private string _sheet = "";

    public long Written { get; private set; }

    public void Sheet(string name)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _sheet = name;
        progress?.Report(new ExportProgress(name, Written, total));
    }

    public void Row()
    {
        if (++Written % ProgressEvery != 0) return;
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new ExportProgress(_sheet, Written, total));
    }

    public void Done() => progress?.Report(new ExportProgress(_sheet, Written, Math.Max(total, Written)));
}
