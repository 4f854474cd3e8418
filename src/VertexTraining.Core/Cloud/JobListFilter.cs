using System.Text;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// Builds the list filter expression (VERTEX_API.md §1) from the CLI's options: state, labels,
/// display name, plus any raw expression, joined with AND.
/// </summary>
public sealed class JobListFilter
{
    private readonly List<(string Term, bool Raw)> _terms = [];

    /// <summary>Jobs in this state (a JobState value).</summary>
    public JobListFilter State(string state)
    {
        _terms.Add(($"state=\"{Escape(state)}\"", false));
        return this;
    }

    /// <summary>Jobs labelled <paramref name="key"/>=<paramref name="value"/>, or carrying the key at all when the value is null.</summary>
    public JobListFilter Label(string key, string? value)
    {
        _terms.Add((value is null ? $"labels.{key}:*" : $"labels.{key}=\"{Escape(value)}\"", false));
        return this;
    }

    /// <summary>Jobs whose display name equals the text, or matches it when it contains <c>*</c>.</summary>
    public JobListFilter DisplayName(string displayName)
    {
        _terms.Add((displayName.Contains('*') ? $"display_name:\"{Escape(displayName)}\"" : $"display_name=\"{Escape(displayName)}\"", false));
        return this;
    }

    /// <summary>A raw expression, parenthesised so its ORs stay its own.</summary>
    public JobListFilter Raw(string expression)
    {
        if (!string.IsNullOrWhiteSpace(expression))
        {
            _terms.Add((expression.Trim(), true));
        }

        return this;
    }

    /// <summary>The expression, or null when nothing filters.</summary>
    public string? Build() => _terms.Count switch
    {
        0 => null,
        1 => _terms[0].Term,
        _ => string.Join(" AND ", _terms.Select(t => t.Raw ? $"({t.Term})" : t.Term)),
    };

    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
