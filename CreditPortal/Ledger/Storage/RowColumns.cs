using System.Runtime.CompilerServices;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// The columns of one row type and the value stored in each, written once per row type: a column's name and
/// its value sit on one line, so they cannot drift apart, and the INSERT and UPDATE statements are generated
/// from it. The same calls in the same order every time (no column left out on a condition).
/// </summary>
internal delegate void RowColumns<in TRow>(ColumnValues columns, TRow row);

/// <summary>Receives a row's columns: first only to learn their names (to write the SQL), then to bind values.</summary>
internal sealed class ColumnValues : StoredValueWriter<ColumnValues>
{
    private readonly List<string>? _names;
    private readonly SqlStatement? _statement;
    private readonly IReadOnlyList<string>? _expected;
    private int _position;
    private int _index;

    private ColumnValues(List<string> names) => _names = names;

    private ColumnValues(SqlStatement statement, IReadOnlyList<string> expected)
    {
        _statement = statement;
        _expected = expected;
    }

    public static IReadOnlyList<string> NamesOf<TRow>(RowColumns<TRow> columns)
    {
        var names = new List<string>();
        // Only the names are wanted: any row will do, even one no constructor made.
        columns(new ColumnValues(names), (TRow)RuntimeHelpers.GetUninitializedObject(typeof(TRow)));
        return names;
    }

    /// <summary>Binds rows to a statement whose parameters are numbered in column order, row after row.</summary>
    public static ColumnValues Binder(SqlStatement statement, IReadOnlyList<string> columns) => new(statement, columns);

    /// <summary>Binds the next row from parameter <paramref name="firstParameter"/> (1-based) on.</summary>
    public ColumnValues At(int firstParameter)
    {
        _index = firstParameter;
        _position = 0;
        return this;
    }

    protected override void SetInteger(string name, long value) { if (Next(name)) _statement!.SetInteger(_index++, value); }

    protected override void SetText(string name, string value) { if (Next(name)) _statement!.SetText(_index++, value); }

    protected override void SetNull(string name) { if (Next(name)) _statement!.SetNull(_index++); }

    protected override void SetFlag(string name, bool value) { if (Next(name)) _statement!.SetFlag(_index++, value); }

    private bool Next(string name)
    {
        if (_names is not null)
        {
            _names.Add(name);
            return false;
        }
        var expected = _expected![_position++];
        if (!ReferenceEquals(expected, name) && expected != name)
            throw new InvalidOperationException($"Column {name} given where {expected} was expected: a row's columns must come in the same order every time.");
        return true;
    }
}
