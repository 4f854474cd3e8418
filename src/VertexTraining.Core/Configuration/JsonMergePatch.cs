using System.Text.Json.Nodes;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// JSON Merge Patch, RFC 7396 section 2: an object patch merges member by member, a null member removes
/// the member, anything else (arrays included) replaces the target whole.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="target"/>; neither is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                // Apply returns a detached node, so the member keeps its place in the document.
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
