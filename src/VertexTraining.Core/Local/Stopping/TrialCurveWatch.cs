namespace VertexTraining.Core.Local.Stopping;

/// <summary>
/// Follows one running trial's metric file (rewritten by the trainer on every report) and asks the study's stopping
/// rule about it after each new report; when the rule condemns the trial, cancels its early-stop token.
/// </summary>
/// <remarks>
/// cloudml-hypertune keeps only the last 100 reports in the file, so the curve is collected here as it grows: a long
/// trial's early steps still count when the rule compares running averages.
/// </remarks>
internal sealed class TrialCurveWatch
{
    /// <summary>How often the metric file is read while the trial runs.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _metricFile;
    private readonly string _metricId;
    private readonly EarlyStoppingRule _rule;
    private readonly Func<IReadOnlyList<CompletedCurve>> _completed;
    private readonly Action<StopDecision> _condemned;
    private readonly SortedDictionary<long, double> _points = [];
    private readonly object _gate = new();

    public TrialCurveWatch(string metricFile, string metricId, EarlyStoppingRule rule, Func<IReadOnlyList<CompletedCurve>> completed,
        Action<StopDecision> condemned)
    {
        _condemned = condemned;
        _metricFile = metricFile;
        _metricId = metricId;
        _rule = rule;
        _completed = completed;
    }

    /// <summary>The rule's verdict, once it has condemned the trial.</summary>
    public StopDecision? Decision { get; private set; }

    /// <summary>Every report seen so far, in step order.</summary>
    public IReadOnlyList<CurvePoint> Points
    {
        get
        {
            lock (_gate)
            {
                return [.. _points.Select(p => new CurvePoint(p.Key, p.Value))];
            }
        }
    }

    /// <summary>Reads the metric file until <paramref name="trialEnded"/> ends or the rule condemns the trial.</summary>
    public async Task WatchAsync(Task trialEnded, CancellationTokenSource earlyStop)
    {
        var seen = 0;
        while (!trialEnded.IsCompleted)
        {
            await Task.WhenAny(trialEnded, Task.Delay(PollInterval, CancellationToken.None)).ConfigureAwait(false);
            var count = Read();
            if (count == seen || trialEnded.IsCompleted)
            {
                continue;
            }

            seen = count;
            if (_rule.Judge(Points, _completed()) is { } decision)
            {
                Decision = decision;
                _condemned(decision);
                await earlyStop.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Takes in the metric file's reports; returns how many distinct steps are known.</summary>
    public int Read()
    {
        var records = MetricFile.Read(_metricFile, _metricId, out _);
        lock (_gate)
        {
            foreach (var record in records)
            {
                _points[record.Step] = record.Value;
            }

            return _points.Count;
        }
    }
}
