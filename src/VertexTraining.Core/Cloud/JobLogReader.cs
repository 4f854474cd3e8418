using System.Globalization;

namespace VertexTraining.Core.Cloud;

/// <summary>One printed log line: the task that wrote it and its text.</summary>
/// <param name="Timestamp">When it was written.</param>
/// <param name="Task">The task, e.g. <c>workerpool0-0</c>.</param>
/// <param name="Severity">INFO, ERROR, ...</param>
/// <param name="Text">One line of text (multi-line payloads become several lines).</param>
public sealed record LogLine(DateTimeOffset Timestamp, string Task, string Severity, string Text)
{
    /// <summary>The form printed to the console: <c>[workerpool0-0] text</c>.</summary>
    public override string ToString() => $"[{Task}] {Text}";
}

/// <summary>
/// Reads a job's log (resource <c>ml_job</c>, as <c>gcloud ai custom-jobs stream-logs</c> does) incrementally:
/// each call returns only the lines not returned before. Entries can reach Cloud Logging well after their
/// timestamp, behind newer ones already read, so each query starts <see cref="Overlap"/> (60 s) before the
/// newest timestamp seen and entries already returned are skipped by insertId. The ids remembered are only
/// those inside that window, so memory stays bounded however long the job runs; an entry that arrives more
/// than the window late is not seen by a follower (<c>logs</c> without --follow, run afterwards, prints it).
/// </summary>
public sealed class JobLogReader
{
    // Bounds one call so a flood of empty "search timed out" pages cannot spin forever; the next call resumes.
    private const int MaxPagesPerRead = 50;

    private readonly CloudLoggingClient _client;
    private readonly string _project;
    private readonly string _jobId;
    private readonly string? _task;
    private readonly int _pageSize;
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset? _watermark;

    /// <summary>Creates a reader for one job.</summary>
    /// <param name="client">The logging client.</param>
    /// <param name="project">The project (id or number) whose logs hold the job's entries.</param>
    /// <param name="jobId">The numeric job id (for a tuning job, the tuning job's id).</param>
    /// <param name="task">Only this task (e.g. <c>workerpool0-0</c>), or every task when null.</param>
    /// <param name="pageSize">Entries per page, 1..1000.</param>
    /// <param name="overlap">How far behind the newest timestamp each read starts; default <see cref="DefaultOverlap"/>.</param>
    public JobLogReader(CloudLoggingClient client, string project, string jobId, string? task = null, int pageSize = 1000, TimeSpan? overlap = null)
    {
        Overlap = overlap ?? DefaultOverlap;
        _client = client;
        _project = project;
        // Both go into the logging filter: checked against their grammars, so neither can widen it.
        _jobId = CloudNameSegments.JobId(jobId, "The job id");
        _task = string.IsNullOrEmpty(task) ? null : CloudNameSegments.TaskName(task, "--task");
        _pageSize = pageSize;
    }

    /// <summary>How late an entry may reach Cloud Logging and still be printed by a follower.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromSeconds(60);

    /// <summary>How far behind the newest timestamp seen each read starts.</summary>
    public TimeSpan Overlap { get; }

    /// <summary>The latest arrival seen so far (receiveTimestamp minus timestamp), at most <see cref="Overlap"/>: how long a follower should keep reading after the end.</summary>
    public TimeSpan LatestArrival { get; private set; }

    /// <summary>How many insertIds are remembered now (those inside the overlap window).</summary>
    public int RememberedIds => _seen.Count;

    /// <summary>The logging filter for a job, optionally a task and a start time.</summary>
    public static string BuildFilter(string jobId, string? task, string? since)
    {
        var filter = $"resource.type=\"ml_job\" AND resource.labels.job_id=\"{jobId}\"";
        if (!string.IsNullOrEmpty(task))
        {
            filter += $" AND resource.labels.task_name=\"{task}\"";
        }

        if (!string.IsNullOrEmpty(since))
        {
            filter += $" AND timestamp>=\"{since}\"";
        }

        return filter;
    }

    /// <summary>Lines not returned before, in the order Cloud Logging returns them (timestamp order, late arrivals when they arrive).</summary>
    public async Task<IReadOnlyList<LogLine>> ReadNewAsync(CancellationToken cancellationToken)
    {
        var since = _watermark - Overlap;
        var filter = BuildFilter(_jobId, _task, since?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        var lines = new List<LogLine>();
        string? pageToken = null;
        var pages = 0;
        do
        {
            var page = await _client.ListAsync(_project, filter, pageToken, _pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                Accept(entry, since, lines);
            }

            pageToken = page.NextPageToken;
        }
        while (pageToken is not null && ++pages < MaxPagesPerRead);

        ForgetOutsideWindow();
        return lines;
    }

    private void Accept(LogEntry entry, DateTimeOffset? since, List<LogLine> lines)
    {
        var timestamp = VertexJob.ParseTime(entry.Timestamp) ?? DateTimeOffset.MinValue;
        // Older than the window: its id may already be forgotten, so it cannot be told apart from one printed.
        if (timestamp < since)
        {
            return;
        }

        var key = entry.InsertId ?? $"{entry.LogName}|{entry.Timestamp}|{entry.Message}";
        if (!_seen.TryAdd(key, timestamp))
        {
            return;
        }

        if (_watermark is null || timestamp > _watermark)
        {
            _watermark = timestamp;
        }

        if (VertexJob.ParseTime(entry.ReceiveTimestamp) is { } received && received - timestamp > LatestArrival)
        {
            LatestArrival = received - timestamp > Overlap ? Overlap : received - timestamp;
        }

        var severity = string.IsNullOrEmpty(entry.Severity) ? "DEFAULT" : entry.Severity;
        foreach (var text in entry.Message.TrimEnd('\r', '\n').Split('\n'))
        {
            lines.Add(new LogLine(timestamp, entry.TaskName, severity, text.TrimEnd('\r')));
        }
    }

    // The next query starts at the watermark minus the window: ids of entries before that can never come back.
    private void ForgetOutsideWindow()
    {
        if (_watermark - Overlap is not { } horizon)
        {
            return;
        }

        foreach (var (key, timestamp) in _seen)
        {
            if (timestamp < horizon)
            {
                _seen.Remove(key);
            }
        }
    }
}
