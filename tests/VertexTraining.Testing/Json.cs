using System.Text.Json;
using System.Text.Json.Nodes;

namespace VertexTraining.Testing;

/// <summary>Assertions on the REST JSON that check the JSON type as well as the value (int64 as string, int32 as number).</summary>
public static class Json
{
    public static JsonObject ParseObject(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{path} is not a JSON object: {ex.Message}\n{text}");
        }
    }

    /// <summary>
    /// The node at a path of dotted names, [index] steps and ['quoted.names'] for keys holding dots,
    /// e.g. <c>jobSpec.workerPoolSpecs[1].replicaCount</c> or <c>config.Labels['org.opencontainers.image.base.name']</c>.
    /// </summary>
    public static JsonNode? At(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var step in Steps(path))
        {
            node = step switch
            {
                int index => node is JsonArray array && index < array.Count ? array[index] : null,
                string name => node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null,
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static IEnumerable<object> Steps(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                yield return int.Parse(path[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], i);
                end = end < 0 ? path.Length : end;
                yield return path[i..end];
                i = end;
            }
        }
    }

    public static void String(JsonNode root, string path, string expected)
    {
        var node = Required(root, path);
        Assert.True(node.GetValueKind() == JsonValueKind.String, $"{path} is {node.ToJsonString()}, expected the JSON string \"{expected}\"");
        Assert.Equal(expected, node.GetValue<string>());
    }

    public static void Number(JsonNode root, string path, double expected)
    {
        var node = Required(root, path);
        Assert.True(node.GetValueKind() == JsonValueKind.Number, $"{path} is {node.ToJsonString()}, expected the JSON number {expected}");
        Assert.Equal(expected, node.GetValue<double>());
    }

    public static void Bool(JsonNode root, string path, bool expected)
    {
        var node = Required(root, path);
        Assert.True(node.GetValueKind() is JsonValueKind.True or JsonValueKind.False, $"{path} is {node.ToJsonString()}, expected {expected.ToString().ToLowerInvariant()}");
        Assert.Equal(expected, node.GetValue<bool>());
    }

    public static void Absent(JsonNode root, string path) =>
        Assert.True(At(root, path) is null, $"{path} should be absent but is {At(root, path)?.ToJsonString()}");

    /// <summary>Deep equality with the expected JSON text; the message shows both documents.</summary>
    public static void Equal(string expectedJson, JsonNode? actual, string what)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{what} differs.\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }

    public static JsonNode Required(JsonNode root, string path) =>
        At(root, path) ?? throw new Xunit.Sdk.XunitException($"{path} is missing in {root.ToJsonString()}");
}
