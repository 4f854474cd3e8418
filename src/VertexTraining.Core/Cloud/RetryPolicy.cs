namespace VertexTraining.Core.Cloud;

/// <summary>
/// When and how long to wait before repeating a request that failed transiently: 408, 429 and 5xx
/// (except 501) and network faults, with exponential backoff and jitter, or exactly the delay the
/// service asked for (google.rpc.RetryInfo, Retry-After).
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Attempts in total, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The backoff ceiling before the first retry; it doubles per retry up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest computed backoff.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>The longest server-requested delay we honour; beyond it we stop retrying sooner rather than hang.</summary>
    public TimeSpan MaxServerDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between reads of a followed job during an outage, however long it lasts.</summary>
    public TimeSpan MaxOutageDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Waits between attempts; tests replace it to run instantly and to observe the delays.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>A number in [0, 1) for jitter; injectable so tests are deterministic.</summary>
    public Func<double> NextRandom { get; init; } = Random.Shared.NextDouble;

    /// <summary>The default policy.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Statuses worth repeating for an idempotent request. 501 means "never", so it is not one.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 || (status >= 500 && status <= 599 && status != 501);

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    /// <param name="retry">1-based retry number.</param>
    /// <param name="serverDelay">A delay the service asked for, which wins over the computed backoff.</param>
    public TimeSpan BackoffFor(int retry, TimeSpan? serverDelay)
    {
        if (serverDelay is { } requested && requested > TimeSpan.Zero)
        {
            return requested > MaxServerDelay ? MaxServerDelay : requested;
        }

        return Jittered(retry, MaxDelay);
    }

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failed read of a followed job in one outage: the same
    /// doubling as <see cref="BackoffFor"/> from <see cref="InitialDelay"/>, capped at <see cref="MaxOutageDelay"/>.
    /// </summary>
    public TimeSpan OutageBackoff(int failures) => Jittered(failures, MaxOutageDelay);

    private TimeSpan Jittered(int step, TimeSpan cap)
    {
        var ceiling = Math.Min(InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(step - 1, 0, 30)), cap.TotalMilliseconds);
        // Half fixed, half random ("equal jitter"): clients that failed together spread out, yet none retries at once.
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * NextRandom());
    }
}
