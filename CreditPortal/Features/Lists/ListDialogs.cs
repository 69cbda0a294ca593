using CreditPortal.Components;
using CreditPortal.Ledger;
using MudBlazor;

namespace CreditPortal.Features.Lists;

/// <summary>The dialogs of a list's ⋮ menu, opened the same way from the Lists page and from SMS › Credits › Assign
/// credits. Each returns true when it saved a change (the page reloads).</summary>
public static class ListDialogs
{
    public static Task<bool> AssignCreditsAsync(this IDialogService dialogs, Account account, ListView list, Channel channel, long unassigned, Actor actor)
        => dialogs.ShowAndWaitAsync($"Assign {channel.Name()} credits: {list.Name}", new DialogParameters<AllocationDialog>
        {
            { d => d.Account, account },
            { d => d.List, list },
            { d => d.Channel, channel },
            { d => d.Unassigned, unassigned },
            { d => d.Actor, actor },
        });

    public static Task<bool> SetSendingLimitAsync(this IDialogService dialogs, Account account, ListView list, Channel channel, Actor actor)
        => dialogs.ShowAndWaitAsync($"Set an {channel.Name()} sending limit: {list.Name}", new DialogParameters<CapDialog>
        {
            { d => d.Account, account },
            { d => d.List, list },
            { d => d.Channel, channel },
            { d => d.Actor, actor },
        });

    public static Task<bool> RenameAsync(this IDialogService dialogs, Account account, ListRow list, Actor actor)
        => dialogs.ShowAndWaitAsync($"Rename {list.Name}", new DialogParameters<RenameListDialog>
        {
            { d => d.Account, account },
            { d => d.List, list },
            { d => d.Actor, actor },
        });
}
