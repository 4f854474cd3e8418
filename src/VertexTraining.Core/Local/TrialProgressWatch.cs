namespace VertexTraining.Core.Local;

/// <summary>
/// Prints the latest value each running trial reported, read from its primary replica's metric file, at most once
/// per <see cref="ProgressThrottle.Interval"/> per trial and only when there is a new report: a trial that reports
/// every epoch does not flood the console.
/// </summary>
internal sealed class TrialProgressWatch : IAsyncDisposable
{
    /// <summary>How often the running trials' metric files are read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly string _metricId;
    private readonly ProgressThrottle _throttle;
    private readonly Action<string> _print;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public TrialProgressWatch(string metricId, TimeSpan interval, Action<string> print)
    {
        _metricId = metricId;
        _throttle = new ProgressThrottle(interval, TimeProvider.System);
        _print = print;
        _watching = WatchAsync();
    }

    /// <summary>Starts following a trial's metric file.</summary>
    public void Add(string trialId, string metricFile)
    {
        lock (_gate)
        {
            _running[trialId] = metricFile;
        }
    }

    /// <summary>
    /// Stops following a trial. Its final line comes next; under the lock, so no progress line of it can follow.
    /// </summary>
    public void Remove(string trialId)
    {
        lock (_gate)
        {
            _running.Remove(trialId);
            _throttle.Forget(trialId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, _stop.Token).ConfigureAwait(false);
                KeyValuePair<string, string>[] trials;
                lock (_gate)
                {
                    trials = [.. _running];
                }

                foreach (var (trialId, metricFile) in trials)
                {
                    var records = ReadQuietly(metricFile);
                    if (records.Count == 0)
                    {
                        continue;
                    }

                    lock (_gate)
                    {
                        if (_running.ContainsKey(trialId) && _throttle.Admit(trialId, records[^1]))
                        {
                            _print(TrialEvents.Progress(trialId, _metricId, records[^1]));
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The study ended.
        }
    }

    private IReadOnlyList<MetricFile.Record> ReadQuietly(string metricFile)
    {
        try
        {
            return MetricFile.Read(metricFile, _metricId, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Being rewritten by the trainer; the next poll reads it.
            return [];
        }
    }
}

/// <summary>
/// Decides which reports reach the console: a trial's first report at once, then its newest report at most once
/// per <see cref="Interval"/>; the same report never twice.
/// </summary>
internal sealed class ProgressThrottle(TimeSpan interval, TimeProvider clock)
{
    private readonly Dictionary<string, (MetricFile.Record Report, DateTimeOffset At)> _printed = new(StringComparer.Ordinal);

    public TimeSpan Interval => interval;

    /// <summary>Whether <paramref name="latest"/> is to be printed now; if so, it is remembered as printed.</summary>
    public bool Admit(string trialId, MetricFile.Record latest)
    {
        var now = clock.GetUtcNow();
        if (_printed.TryGetValue(trialId, out var last) && (last.Report == latest || now - last.At < interval))
        {
            return false;
        }

        _printed[trialId] = (latest, now);
        return true;
    }

    /// <summary>Drops what was printed of a finished trial (an interrupted trial run again starts afresh).</summary>
    public void Forget(string trialId) => _printed.Remove(trialId);
}
