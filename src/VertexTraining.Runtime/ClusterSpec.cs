using System.Globalization;
using System.Text.Json;

namespace VertexTraining.Runtime;

/// <summary>
/// The cluster description Vertex AI gives every replica, as JSON in <c>CLUSTER_SPEC</c> (pools named
/// <c>workerpool0</c>..<c>workerpool3</c>) or, for distributed jobs, <c>TF_CONFIG</c> (roles named
/// <c>chief</c>/<c>master</c>, <c>worker</c>, <c>ps</c>, <c>evaluator</c>). Both share this shape:
/// <c>{"cluster": {name: ["host:port", ...]}, "task": {"type", "index", "trial"}, "environment", "job"}</c>.
/// </summary>
public sealed class ClusterSpec
{
    private ClusterSpec(
        IReadOnlyDictionary<string, IReadOnlyList<string>> cluster,
        string? taskType,
        int taskIndex,
        string? trial,
        string? environment,
        string? jobJson)
    {
        Cluster = cluster;
        TaskType = taskType;
        TaskIndex = taskIndex;
        Trial = trial;
        Environment = environment;
        JobJson = jobJson;
    }

    /// <summary>Replica addresses (<c>host:port</c>) by pool or role name; pools without replicas are absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Cluster { get; }

    /// <summary>This replica's pool or role (<c>task.type</c>), if given.</summary>
    public string? TaskType { get; }

    /// <summary>This replica's zero-based index within its pool (<c>task.index</c>); 0 when absent.</summary>
    public int TaskIndex { get; }

    /// <summary>The hyperparameter tuning trial id (<c>task.trial</c>); <see langword="null"/> when absent or empty.</summary>
    public string? Trial { get; }

    /// <summary><c>environment</c>: <c>cloud</c> on Vertex AI, <c>local</c> under the local runner.</summary>
    public string? Environment { get; }

    /// <summary>The <c>job</c> member (the job's CustomJobSpec) as raw JSON, if given.</summary>
    public string? JobJson { get; }

    /// <summary>Parses the JSON of <c>CLUSTER_SPEC</c> or <c>TF_CONFIG</c>.</summary>
    /// <param name="json">The variable's value.</param>
    /// <param name="variableName">The variable it came from, named in errors.</param>
    /// <exception cref="TrainingEnvironmentException">The value is not JSON or not of the expected shape.</exception>
    public static ClusterSpec Parse(string json, string variableName = TrainingEnvironment.ClusterSpecVariable)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(variableName);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TrainingEnvironmentException(
                variableName,
                $"The environment variable {variableName} does not hold valid JSON ({e.Message}). Value: {Abbreviate(json)}",
                e);
        }

        using (document)
        {
            var reader = new Reader(variableName);
            var root = document.RootElement;
            reader.Expect(root, JsonValueKind.Object, "the value");

            var cluster = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (reader.TryGetObject(root, "cluster", out var clusterElement))
            {
                foreach (var pool in clusterElement.EnumerateObject())
                {
                    cluster[pool.Name] = reader.ReadAddresses(pool.Value, $"cluster.{pool.Name}");
                }
            }

            string? taskType = null;
            string? trial = null;
            var taskIndex = 0;
            if (reader.TryGetObject(root, "task", out var task))
            {
                taskType = reader.ReadString(task, "type", "task.type");
                taskIndex = reader.ReadIndex(task, "index", "task.index");
                trial = reader.ReadString(task, "trial", "task.trial");
            }

            var environment = reader.ReadString(root, "environment", "environment");
            var job = root.TryGetProperty("job", out var jobElement) && jobElement.ValueKind != JsonValueKind.Null
                ? jobElement.GetRawText()
                : null;

            return new ClusterSpec(cluster, taskType, taskIndex, string.IsNullOrEmpty(trial) ? null : trial, environment, job);
        }
    }

    private static string Abbreviate(string value) =>
        value.Length <= 200 ? value : value[..200] + "...";

    /// <summary>Reads members leniently (unknown members are ignored) and names the variable and member on errors.</summary>
    private sealed class Reader(string variableName)
    {
        public void Expect(JsonElement element, JsonValueKind kind, string what)
        {
            if (element.ValueKind != kind)
            {
                throw Invalid($"{what} must be a JSON {kind.ToString().ToLowerInvariant()}, found {Describe(element)}");
            }
        }

        public bool TryGetObject(JsonElement parent, string name, out JsonElement element)
        {
            if (!parent.TryGetProperty(name, out element) || element.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            Expect(element, JsonValueKind.Object, name);
            return true;
        }

        public IReadOnlyList<string> ReadAddresses(JsonElement element, string path)
        {
            Expect(element, JsonValueKind.Array, path);
            var addresses = new List<string>();
            foreach (var item in element.EnumerateArray())
            {
                Expect(item, JsonValueKind.String, $"each entry of {path}");
                addresses.Add(item.GetString()!);
            }

            return addresses.AsReadOnly();
        }

        public string? ReadString(JsonElement parent, string name, string path)
        {
            if (!parent.TryGetProperty(name, out var element))
            {
                return null;
            }

            return element.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => element.GetString(),
                // A trial id written as a number by a hand-made spec is still the same id.
                JsonValueKind.Number => element.GetRawText(),
                _ => throw Invalid($"{path} must be a string, found {Describe(element)}"),
            };
        }

        public int ReadIndex(JsonElement parent, string name, string path)
        {
            if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number >= 0)
            {
                return number;
            }

            if (element.ValueKind == JsonValueKind.String
                && int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }

            throw Invalid($"{path} must be a non-negative whole number, found {Describe(element)}");
        }

        private TrainingEnvironmentException Invalid(string problem) =>
            new(variableName, $"The environment variable {variableName} is not a valid cluster description: {problem}.");

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => element.GetRawText(),
        };
    }
}
