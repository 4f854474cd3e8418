namespace VertexTraining.Core.Cloud;

/// <summary>Receives what <see cref="JobFollower"/> sees, as it sees it.</summary>
public interface IJobFollowObserver
{
    /// <summary>The job entered a new state (also called once for the state found first).</summary>
    void StateChanged(VertexJob job, string? previousState);

    /// <summary>New log lines, oldest first, each once.</summary>
    void LogLines(IReadOnlyList<LogLine> lines);

    /// <summary>Every poll's job, for progress such as trial counts.</summary>
    void Polled(VertexJob job);

    /// <summary>
    /// Reading the log failed. Following goes on: the job's state, not its log, decides the outcome.
    /// </summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="givingUp">True when log reading stops for good (permission denied).</param>
    void LogsUnavailable(CloudApiException error, bool givingUp);

    /// <summary>Reading the job failed transiently (outage, timeout, token endpoint down); called once per outage.</summary>
    /// <param name="since">When the outage was first seen.</param>
    /// <param name="error">The first failure.</param>
    void ConnectionLost(DateTimeOffset since, VertexCloudException error);

    /// <summary>The job could be read again after <see cref="ConnectionLost"/>.</summary>
    void ConnectionRestored(DateTimeOffset since, TimeSpan outage);

    /// <summary>The job has stayed QUEUED or PENDING for <see cref="FollowOptions.WaitingAdviceAfter"/>; called once per follow.</summary>
    /// <param name="job">The job as last read.</param>
    /// <param name="waited">How long this follower has seen it waiting.</param>
    void WaitingLong(VertexJob job, TimeSpan waited)
    {
    }
}

/// <summary>How often and how long to poll.</summary>
public sealed class FollowOptions
{
    /// <summary>Between polls. Cloud Logging allows about 60 reads a minute per project, so not much faster than this.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Waits between polls; tests replace it.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Backoff between reads of the job while the API is unreachable; capped at <see cref="RetryPolicy.MaxOutageDelay"/>.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>How long a job may stay QUEUED or PENDING before <see cref="IJobFollowObserver.WaitingLong"/> explains it.</summary>
    public TimeSpan WaitingAdviceAfter { get; init; } = WaitingJobAdvice.DefaultThreshold;

    /// <summary>The time shown in "connection lost, retrying since ..."; tests may pin it.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.Now;
}

/// <summary>
/// Follows a job to its end: polls its state, streams its log lines, and returns the final job.
/// Transient failures (5xx, timeouts, refused connections, the token endpoint down) never end it: it keeps
/// trying with backoff, says once that the connection was lost and once that it is back, until the job
/// ends or the caller cancels. Answers such as 403 or 404 end it. Cancelling the token stops following
/// only; the job keeps running in the cloud.
/// </summary>
public sealed class JobFollower
{
    private static readonly TimeSpan MaxDrainStep = TimeSpan.FromSeconds(10);

    private readonly VertexJobClient _jobs;
    private readonly Func<VertexJob, JobLogReader>? _logs;
    private readonly FollowOptions _options;
    private bool _logsDisabled;
    private DateTimeOffset? _outageSince;

    // Time this follower has waited since it first saw the job QUEUED or PENDING, counted from its own delays
    // (the poll interval and outage backoff), so it needs no clock and fake delays make minutes pass at once.
    private TimeSpan _waited;
    private bool _waitingExplained;

    /// <summary>Creates a follower.</summary>
    /// <param name="jobs">Reads the job.</param>
    /// <param name="logs">Makes the job's log reader, or null to follow state only.</param>
    /// <param name="options">Polling options.</param>
    public JobFollower(VertexJobClient jobs, Func<VertexJob, JobLogReader>? logs, FollowOptions options)
    {
        _jobs = jobs;
        _logs = logs;
        _options = options;
    }

    /// <summary>Follows until the job reaches a terminal state.</summary>
    /// <param name="job">The job as just read (or created): the first poll uses it instead of reading it again.</param>
    /// <param name="observer">Told about states, lines and progress.</param>
    /// <param name="cancellationToken">Stops following (the job keeps running).</param>
    /// <returns>The job in its final state.</returns>
    public async Task<VertexJob> FollowAsync(VertexJob job, IJobFollowObserver observer, CancellationToken cancellationToken)
    {
        string? lastState = null;
        JobLogReader? reader = null;
        for (var poll = 0; ; poll++)
        {
            if (poll > 0)
            {
                job = await GetThroughOutagesAsync(job.Name, observer, cancellationToken).ConfigureAwait(false);
            }

            reader ??= _logs?.Invoke(job);
            var terminal = JobStates.IsTerminal(job.State);
            if (!terminal && job.State != lastState)
            {
                observer.StateChanged(job, lastState);
                lastState = job.State;
            }

            observer.Polled(job);
            NoteWaiting(job, observer);

            if (reader is not null)
            {
                await ReadLogsAsync(reader, observer, cancellationToken).ConfigureAwait(false);
            }

            if (terminal)
            {
                await DrainLogsAsync(reader, observer, cancellationToken).ConfigureAwait(false);
                observer.StateChanged(job, lastState);
                return job;
            }

            await _options.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            _waited += _options.PollInterval;
        }
    }

    private void NoteWaiting(VertexJob job, IJobFollowObserver observer)
    {
        if (job.State is not (JobStates.Queued or JobStates.Pending))
        {
            _waited = TimeSpan.Zero;
            return;
        }

        if (!_waitingExplained && _waited >= _options.WaitingAdviceAfter)
        {
            _waitingExplained = true;
            observer.WaitingLong(job, _waited);
        }
    }

    private async Task<VertexJob> GetThroughOutagesAsync(JobName name, IJobFollowObserver observer, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                var job = await _jobs.GetAsync(name, cancellationToken).ConfigureAwait(false);
                if (_outageSince is { } since)
                {
                    _outageSince = null;
                    observer.ConnectionRestored(since, _options.Now() - since);
                }

                return job;
            }
            catch (VertexCloudException e) when (e.IsTransient)
            {
                if (_outageSince is null)
                {
                    _outageSince = _options.Now();
                    observer.ConnectionLost(_outageSince.Value, e);
                }

                var backoff = _options.Retry.OutageBackoff(failures);
                await _options.Retry.Delay(backoff, cancellationToken).ConfigureAwait(false);
                _waited += backoff;
            }
        }
    }

    // The last lines reach Cloud Logging after the job ends, some later than others: read again each poll
    // interval until a read finds nothing and the time waited covers the lateness seen so far (at most the
    // reader's overlap window), so the lines of a job whose entries arrive 15 s late are all printed.
    private async Task DrainLogsAsync(JobLogReader? reader, IJobFollowObserver observer, CancellationToken cancellationToken)
    {
        if (reader is null)
        {
            return;
        }

        // A long poll interval is for sparing the job's API, not for keeping the user waiting after the end.
        var step = _options.PollInterval < MaxDrainStep ? _options.PollInterval : MaxDrainStep;
        var waited = TimeSpan.Zero;
        while (!_logsDisabled && waited < reader.Overlap)
        {
            await _options.Delay(step, cancellationToken).ConfigureAwait(false);
            waited += step;
            var read = await ReadLogsAsync(reader, observer, cancellationToken).ConfigureAwait(false);
            if (read == 0 && waited >= reader.LatestArrival)
            {
                return;
            }
        }
    }

    private async Task<int> ReadLogsAsync(JobLogReader reader, IJobFollowObserver observer, CancellationToken cancellationToken)
    {
        if (_logsDisabled)
        {
            return 0;
        }

        IReadOnlyList<LogLine> lines;
        try
        {
            lines = await reader.ReadNewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CloudApiException e)
        {
            // Without roles/logging.viewer every read would fail the same way: say so once and stop asking.
            _logsDisabled = e.HttpStatus is 401 or 403;
            observer.LogsUnavailable(e, _logsDisabled);
            return 0;
        }

        if (lines.Count > 0)
        {
            observer.LogLines(lines);
        }

        return lines.Count;
    }
}
