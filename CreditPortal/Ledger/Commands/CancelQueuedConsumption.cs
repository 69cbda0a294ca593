using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>
/// R9: the owner cancels a send that is still queued. It leaves the queue and is recorded as Rejected with the reason
/// <c>cancelled</c> (it was never sent and drew nothing; a retry of its request answers that). The sends queued behind
/// it may go now, so the queue is released. Any other state is refused (<c>not_queued</c>): a send that went is spent.
/// </summary>
public static class CancelQueuedConsumption
{
    public static void Execute(LedgerSession s, long accountId, long consumptionId, Actor actor)
    {
        var account = s.Open(accountId);
        foreach (var wallet in account.Wallets)
        {
            for (var node = wallet.Queue.First; node is not null; node = node.Next)
            {
                if (node.Value.Id != consumptionId) continue;
                wallet.Queue.Remove(node);
                s.Records.DecideConsumption(consumptionId, ConsumptionStatus.Rejected, ConsumptionReasons.Cancelled, s.Now);
                s.Audit.Record(account, actor, $"consumption.{wallet.Channel}", $"#{consumptionId} queued ({node.Value.Quantity} messages)", "cancelled", null);
                s.Sends.ReleaseQueue(account, wallet, s.Now);
                return;
            }
        }
        throw new LedgerRuleException("not_queued", $"Consumption {consumptionId} is not queued: only a queued send can be cancelled.");
    }
}
