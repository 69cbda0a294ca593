using System.Text;

namespace CreditPortal.Data;

/// <summary>
/// The hand-written SQL names its parameters (<c>@name</c>); PostgreSQL's own PREPARE numbers them (<c>$1</c>). Rewritten
/// once per statement, outside quoted text and identifiers; a name used twice is the same number.
/// </summary>
public static class PositionalSql
{
    public static (string Text, IReadOnlyList<string> Names) From(string sql)
    {
        var names = new List<string>();
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, i + 1);
                if (end < 0) end = sql.Length - 1;
                text.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (c is '@' or '$' && i + 1 < sql.Length && (char.IsLetter(sql[i + 1]) || sql[i + 1] == '_'))
            {
                var start = i;
                i++;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                var name = "@" + sql[(start + 1)..i];
                var index = names.IndexOf(name);
                if (index < 0) { names.Add(name); index = names.Count - 1; }
                text.Append('$').Append(index + 1);
                i--;
            }
            else
            {
                text.Append(c);
            }
        }
        return (text.ToString(), names);
    }
}
