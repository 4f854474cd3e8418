using System.Text;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// Builds the list filter expression (cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.customJobs/list, "filter") from the CLI's options: state, labels,
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
    /// <exception cref="VertexCloudException">The key or value breaks the label grammar (VTX1011, VTX1012); the key is not quoted in the filter.</exception>
    public JobListFilter Label(string key, string? value)
    {
        if (!ResourceFormats.LabelKey().IsMatch(key))
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidLabelKey,
                $"--label key '{key}' is not a label key: 1-64 lowercase letters, digits, '_' or '-', starting with a lowercase letter.");
        }

        if (value is not null && !ResourceFormats.LabelValue().IsMatch(value))
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidLabelValue,
                $"--label value '{value}' (key '{key}') is not a label value: up to 64 lowercase letters, digits, '_' or '-'.");
        }

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
    /// <exception cref="VertexCloudException">Its parentheses or quotes do not balance (VTX1015), which could let it close the parentheses around it.</exception>
    public JobListFilter Raw(string expression)
    {
        if (!string.IsNullOrWhiteSpace(expression))
        {
            _terms.Add((CheckBalanced(expression.Trim()), true));
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

    // A raw expression must stay inside its own parentheses: every ')' outside a quoted string closes a
    // '(' of its own, and every quote is closed, or the expression could reach into the terms around it.
    private static string CheckBalanced(string expression)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth < 0)
            {
                break;
            }
        }

        if (depth != 0 || inString)
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidListFilter,
                $"--filter '{expression}' has unbalanced parentheses or an unclosed quote; write one complete expression, e.g. 'create_time>\"2026-01-01T00:00:00Z\" OR display_name:\"moons*\"'.");
        }

        return expression;
    }

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
