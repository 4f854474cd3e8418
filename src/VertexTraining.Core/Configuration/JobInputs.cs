namespace VertexTraining.Core.Configuration;

/// <summary>An MSBuild item as plain data: its identity and its metadata.</summary>
public sealed record ConfigItem(string Identity, IReadOnlyDictionary<string, string> Metadata)
{
    public ConfigItem(string identity) : this(identity, new Dictionary<string, string>()) { }

    /// <summary>The metadata value, or null when it is absent or blank.</summary>
    public string? Get(string name) =>
        Metadata.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>
/// Everything a job is declared with, independent of MSBuild: the Vertex* properties by name and
/// the Vertex* items by item type. The MSBuild task and the tests fill this the same way.
/// </summary>
public sealed class JobInputs
{
    public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<ConfigItem>> Items { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The trimmed property value, or null when unset or blank.</summary>
    public string? Get(string name) =>
        Properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public IReadOnlyList<ConfigItem> GetItems(string itemType) =>
        Items.TryGetValue(itemType, out var list) ? list : [];

    public JobInputs Set(string name, string value)
    {
        Properties[name] = value;
        return this;
    }

    public JobInputs Add(string itemType, string identity, params (string Name, string Value)[] metadata)
    {
        if (!Items.TryGetValue(itemType, out var list))
        {
            Items[itemType] = list = [];
        }

        list.Add(new ConfigItem(identity, metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase)));
        return this;
    }
}
