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
/// each call returns only the lines not returned before. The query starts at the newest timestamp already
/// seen (inclusive, since several entries share a timestamp) and entries already seen there are skipped.
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
    private readonly HashSet<string> _seenAtWatermark = new(StringComparer.Ordinal);
    private string? _watermarkText;
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;

    /// <summary>Creates a reader for one job.</summary>
    /// <param name="client">The logging client.</param>
    /// <param name="project">The project (id or number) whose logs hold the job's entries.</param>
    /// <param name="jobId">The numeric job id (for a tuning job, the tuning job's id).</param>
    /// <param name="task">Only this task (e.g. <c>workerpool0-0</c>), or every task when null.</param>
    /// <param name="pageSize">Entries per page, 1..1000.</param>
    public JobLogReader(CloudLoggingClient client, string project, string jobId, string? task = null, int pageSize = 1000)
    {
        _client = client;
        _project = project;
        // Both go into the logging filter: checked against their grammars, so neither can widen it.
        _jobId = CloudNameSegments.JobId(jobId, "The job id");
        _task = string.IsNullOrEmpty(task) ? null : CloudNameSegments.TaskName(task, "--task");
        _pageSize = pageSize;
    }

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

    /// <summary>Lines written since the previous call, oldest first.</summary>
    public async Task<IReadOnlyList<LogLine>> ReadNewAsync(CancellationToken cancellationToken)
    {
        var filter = BuildFilter(_jobId, _task, _watermarkText);
        var lines = new List<LogLine>();
        string? pageToken = null;
        var pages = 0;
        do
        {
            var page = await _client.ListAsync(_project, filter, pageToken, _pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                Accept(entry, lines);
            }

            pageToken = page.NextPageToken;
        }
        while (pageToken is not null && ++pages < MaxPagesPerRead);

        return lines;
    }

    private void Accept(LogEntry entry, List<LogLine> lines)
    {
        var timestamp = VertexJob.ParseTime(entry.Timestamp) ?? DateTimeOffset.MinValue;
        if (timestamp < _watermark)
        {
            return;
        }

        var key = entry.InsertId ?? $"{entry.LogName}|{entry.Message}";
        if (timestamp > _watermark)
        {
            _watermark = timestamp;
            _watermarkText = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            _seenAtWatermark.Clear();
        }

        if (!_seenAtWatermark.Add(key))
        {
            return;
        }

        var severity = string.IsNullOrEmpty(entry.Severity) ? "DEFAULT" : entry.Severity;
        foreach (var text in entry.Message.TrimEnd('\r', '\n').Split('\n'))
        {
            lines.Add(new LogLine(timestamp, entry.TaskName, severity, text.TrimEnd('\r')));
        }
    }
}
