namespace CreditPortal.Ledger.Engine;

/// <summary>
/// What a batch's commands ask to happen once the batch is committed, and not before: actions (e.g. a cache
/// update outside the ledger) and waking the scheduler or the alert mailer. A batch that fails drops them.
/// </summary>
internal sealed class CommitEffects
{
    private readonly List<Action> _actions = [];

    /// <summary>A change made a scheduled event due sooner than the scheduler knows.</summary>
    public bool DueSooner { get; set; }

    /// <summary>An alert was recorded for the mailer.</summary>
    public bool AlertRaised { get; set; }

    private int _commandStart;

    public void Add(Action action) => _actions.Add(action);

    public void BeginCommand() => _commandStart = _actions.Count;

    /// <summary>The command was rolled back: its actions must not run.</summary>
    public void DiscardCommand() => _actions.RemoveRange(_commandStart, _actions.Count - _commandStart);

    /// <summary>Hands over the batch's effects and starts the next batch with none.</summary>
    public (IReadOnlyList<Action> Actions, bool DueSooner, bool AlertRaised) Take()
    {
        var taken = (_actions.ToList(), DueSooner, AlertRaised);
        Discard();
        return taken;
    }

    public void Discard()
    {
        _actions.Clear();
        _commandStart = 0;
        DueSooner = false;
        AlertRaised = false;
    }
}
