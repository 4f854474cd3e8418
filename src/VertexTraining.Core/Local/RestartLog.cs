using System.Text.Json;
using System.Text.Json.Serialization;

namespace VertexTraining.Core.Local;

/// <summary>One task's restarts: how many, and why each happened.</summary>
public sealed class TaskRestarts
{
    /// <summary>How many times the task was restarted.</summary>
    [JsonPropertyName("count")]
    public int Count { get; set; }

    /// <summary>Why, in order: "preempted at 30s", "exited with code 3", "job retry 1 of 3" ...</summary>
    [JsonPropertyName("reasons")]
    public List<string> Reasons { get; set; } = [];
}

/// <summary>
/// The restarts of a local run's tasks, kept in the run folder (<c>restarts.json</c>) so that <c>dotnet vertex
/// status</c> shows them after the run; the Vertex resource has no field for them.
/// </summary>
public sealed class RestartLog
{
    /// <summary>The file's name in the run folder.</summary>
    public const string FileName = "restarts.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
    private readonly object _gate = new();
    private readonly SortedDictionary<string, TaskRestarts> _tasks = new(StringComparer.Ordinal);
    private readonly string? _path;

    /// <summary>A log that writes through to <paramref name="path"/>, or stays in memory when null.</summary>
    public RestartLog(string? path)
    {
        _path = path;
    }

    /// <summary>Records one restart of <paramref name="task"/> (its full task name, with the trial's prefix).</summary>
    public void Record(string task, string reason)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(task, out var restarts))
            {
                _tasks[task] = restarts = new TaskRestarts();
            }

            restarts.Count++;
            restarts.Reasons.Add(reason);
            if (_path is not null)
            {
                AtomicFile.Write(_path, JsonSerializer.Serialize(_tasks, Options));
            }
        }
    }

    /// <summary>Reads a run folder's restarts; empty when none were recorded or the file is unreadable.</summary>
    public static IReadOnlyDictionary<string, TaskRestarts> Read(string runDirectory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(runDirectory, FileName));
            return JsonSerializer.Deserialize<SortedDictionary<string, TaskRestarts>>(text, Options) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new SortedDictionary<string, TaskRestarts>();
        }
    }
}
