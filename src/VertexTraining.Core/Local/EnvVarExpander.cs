using System.Text;
using VertexTraining.Core.Api;

namespace VertexTraining.Core.Local;

/// <summary>
/// Resolves a container spec's <c>env</c> list the way Vertex AI (Kubernetes) does: <c>$(NAME)</c> is replaced by
/// the value of a variable defined earlier in the list, <c>$$(NAME)</c> stands for a literal <c>$(NAME)</c>, and
/// references to unknown variables are left as written.
/// </summary>
public static class EnvVarExpander
{
    /// <summary>The variables of <paramref name="env"/>, in order, later definitions replacing earlier ones.</summary>
    public static IReadOnlyDictionary<string, string> Expand(IEnumerable<EnvVar>? env)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in env ?? [])
        {
            result[variable.Name] = ExpandValue(variable.Value ?? "", result);
        }

        return result;
    }

    /// <summary>Expands one value against the variables defined so far.</summary>
    public static string ExpandValue(string value, IReadOnlyDictionary<string, string> defined)
    {
        if (!value.Contains("$(", StringComparison.Ordinal))
        {
            return value;
        }

        var output = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                // $$ is an escaped $: $$(X) stays $(X).
                output.Append('$');
                i++;
                continue;
            }

            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(')
            {
                var close = value.IndexOf(')', i + 2);
                if (close > i + 2)
                {
                    var name = value[(i + 2)..close];
                    if (defined.TryGetValue(name, out var replacement))
                    {
                        output.Append(replacement);
                    }
                    else
                    {
                        output.Append(value, i, close - i + 1);
                    }

                    i = close;
                    continue;
                }
            }

            output.Append(value[i]);
        }

        return output.ToString();
    }
}
