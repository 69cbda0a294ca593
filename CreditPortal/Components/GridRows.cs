using Radzen;

namespace CreditPortal.Components;

/// <summary>RowRender helpers for RadzenDataGrid: a data-testid on every data row, for tests and tools.</summary>
public static class GridRows
{
    public static Action<RowRenderEventArgs<T>> TestId<T>(string testId) => args => args.Attributes["data-testid"] = testId;
}
