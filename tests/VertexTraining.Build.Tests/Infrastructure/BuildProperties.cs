using System.Text;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>Global properties for a `dotnet` command line, escaped so a value with ';' stays one property.</summary>
internal sealed class BuildProperties : IEnumerable<KeyValuePair<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public BuildProperties()
    {
    }

    public BuildProperties(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (name, value) in values)
        {
            _values[name] = value;
        }
    }

    public string this[string name]
    {
        get => _values[name];
        set => _values[name] = value;
    }

    public void Add(string name, string value) => _values[name] = value;

    public BuildProperties With(params (string Name, string Value)[] overrides)
    {
        var copy = new BuildProperties(_values);
        foreach (var (name, value) in overrides)
        {
            copy[name] = value;
        }

        return copy;
    }

    /// <summary>The -p: switches. MSBuild splits a -p value at ';' and ',' and unescapes %XX.</summary>
    public IEnumerable<string> ToArguments() => _values.Select(p => $"-p:{p.Key}={Escape(p.Value)}");

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '%' => "%25",
                ';' => "%3B",
                ',' => "%2C",
                '"' => "%22",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
