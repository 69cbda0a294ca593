using MudBlazor;

namespace CreditPortal.Components;

/// <summary>
/// How pages open dialogs and ask for confirmation. The dialog look (small, full width, Esc closes) is set once on
/// the layout's MudDialogProvider; a dialog component takes <c>[CascadingParameter] IMudDialogInstance</c> and
/// closes with <c>Close(DialogResult.Ok(true))</c> when it changed something, <c>Cancel()</c> otherwise.
/// </summary>
public static class PortalDialogs
{
    /// <summary>Opens <typeparamref name="TDialog"/> and waits until it closes; true when it closed with a result
    /// (something changed, reload), false when cancelled.</summary>
    public static async Task<bool> ShowAndWaitAsync<TDialog>(this IDialogService dialogs, string title, DialogParameters<TDialog> parameters)
        where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        var dialog = await dialogs.ShowAsync<TDialog>(title, parameters);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>A confirmation before something that moves money or cannot be undone (MudMessageBox): true only
    /// when <paramref name="confirm"/> was pressed.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirm, string cancel = "Cancel")
        => await dialogs.ShowMessageBoxAsync(new MessageBoxOptions { Title = title, Message = message, YesText = confirm, CancelText = cancel }) == true;
}
