namespace CreditPortal.Ledger.Storage;

/// <summary>
/// Changes of running totals waiting for the batch (a lot's remaining, a list's assignment, a day's usage),
/// summed per row and written with one statement per row changed: a batch of sends from one list moves its
/// lot, its assignment and its day's usage once each.
/// </summary>
internal sealed class DeferredSums<TKey, TDelta>(string table, Func<TDelta, TDelta, TDelta> add, Action<TKey, TDelta> write)
    : IDeferredRows where TKey : notnull
{
    private readonly List<(TKey Key, TDelta Delta)> _pending = [];
    private readonly Dictionary<TKey, int> _index = [];
    private readonly List<(TKey Key, TDelta Sum)> _sums = [];

    public string Table => table;

    public int Pending => _pending.Count;

    public void Add(TKey key, TDelta delta) => _pending.Add((key, delta));

    public void Write(int count)
    {
        _index.Clear();
        _sums.Clear();
        for (var i = 0; i < count; i++)
        {
            var (key, delta) = _pending[i];
            if (_index.TryGetValue(key, out var at)) _sums[at] = (key, add(_sums[at].Sum, delta));
            else { _index[key] = _sums.Count; _sums.Add((key, delta)); }
        }
        foreach (var (key, sum) in _sums) write(key, sum);
        _pending.RemoveRange(0, count);
    }

    public void Forget(int index) => _pending.RemoveRange(index, _pending.Count - index);
}
