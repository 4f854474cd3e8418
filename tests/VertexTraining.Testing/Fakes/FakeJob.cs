using System.Globalization;
using System.Text.Json.Nodes;

namespace VertexTraining.Testing.Fakes;

/// <summary>One step of a job's scripted life: the state it enters on a poll, and the log lines it writes then.</summary>
public sealed record JobStep(string State, params (string Task, string Text)[] Lines)
{
    /// <summary>Changes the job's resource as the step is taken (trials, error, ...).</summary>
    public Action<JsonObject>? Mutate { get; init; }

    /// <summary>Timestamps for <see cref="Lines"/>; by default each line gets the server clock's next tick.</summary>
    public DateTimeOffset[]? Timestamps { get; init; }
}

/// <summary>A job the fake holds: its resource, its scripted future and its log entries.</summary>
public sealed class FakeJob
{
    private readonly Queue<JobStep> _script = new();

    internal FakeJob(string collection, string projectNumber, string projectId, string location, string id, JsonObject resource)
    {
        Collection = collection;
        ProjectNumber = projectNumber;
        ProjectId = projectId;
        Location = location;
        Id = id;
        Resource = resource;
    }

    public string Collection { get; }

    public string ProjectNumber { get; }

    public string ProjectId { get; }

    public string Location { get; }

    public string Id { get; }

    /// <summary>The name the service reports, with the project number as Vertex does.</summary>
    public string Name => $"projects/{ProjectNumber}/locations/{Location}/{Collection}/{Id}";

    public JsonObject Resource { get; }

    public string State => Resource["state"]?.GetValue<string>() ?? "";

    public List<JsonObject> LogEntries { get; } = [];

    /// <summary>Polls (GETs) of this job so far.</summary>
    public int Gets { get; internal set; }

    /// <summary>Steps taken one per GET, before the GET answers.</summary>
    public FakeJob Script(params JobStep[] steps)
    {
        lock (this)
        {
            foreach (var step in steps)
            {
                _script.Enqueue(step);
            }
        }

        return this;
    }

    internal void ClearScript()
    {
        lock (this)
        {
            _script.Clear();
        }
    }

    internal void AdvanceOnGet(FakeClock clock)
    {
        lock (this)
        {
            Gets++;
            if (_script.TryDequeue(out var step))
            {
                Apply(step, clock);
            }
        }
    }

    /// <summary>Takes a step now (also usable by tests directly).</summary>
    public void Apply(JobStep step, FakeClock clock)
    {
        lock (this)
        {
            SetState(step.State, clock);
            for (var i = 0; i < step.Lines.Length; i++)
            {
                var (task, text) = step.Lines[i];
                AddLog(task, text, step.Timestamps?[i] ?? clock.Next());
            }

            step.Mutate?.Invoke(Resource);
        }
    }

    public void SetState(string state, FakeClock clock)
    {
        lock (this)
        {
            var now = clock.Next();
            Resource["state"] = state;
            Resource["updateTime"] = FakeClock.Format(now);
            if (state == "JOB_STATE_RUNNING" && Resource["startTime"] is null)
            {
                Resource["startTime"] = FakeClock.Format(now);
            }

            if (state is "JOB_STATE_SUCCEEDED" or "JOB_STATE_FAILED" or "JOB_STATE_CANCELLED")
            {
                Resource["endTime"] = FakeClock.Format(now);
            }

            if (state == "JOB_STATE_CANCELLED")
            {
                Resource["error"] = new JsonObject { ["code"] = 1, ["message"] = "CANCELED" };
            }
        }
    }

    public void AddLog(string task, string text, DateTimeOffset timestamp, bool asJsonPayload = false)
    {
        lock (this)
        {
            var entry = new JsonObject
            {
                ["logName"] = $"projects/{ProjectNumber}/logs/{Uri.EscapeDataString(task)}",
                ["resource"] = new JsonObject
                {
                    ["type"] = "ml_job",
                    ["labels"] = new JsonObject { ["job_id"] = Id, ["task_name"] = task, ["project_id"] = ProjectId },
                },
                ["timestamp"] = FakeClock.Format(timestamp),
                ["receiveTimestamp"] = FakeClock.Format(timestamp.AddMilliseconds(50)),
                ["severity"] = "INFO",
                ["insertId"] = $"{Id}-{LogEntries.Count.ToString(CultureInfo.InvariantCulture)}",
            };
            if (asJsonPayload)
            {
                entry["jsonPayload"] = new JsonObject { ["message"] = text, ["levelname"] = "INFO" };
            }
            else
            {
                entry["textPayload"] = text;
            }

            LogEntries.Add(entry);
        }
    }
}

/// <summary>A clock that only moves forward, a millisecond per tick, so times are ordered and distinct.</summary>
public sealed class FakeClock
{
    private DateTimeOffset _now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Next()
    {
        lock (this)
        {
            _now = _now.AddMilliseconds(1);
            return _now;
        }
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
