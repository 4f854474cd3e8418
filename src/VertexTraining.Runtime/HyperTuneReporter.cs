using System.Globalization;
using System.Text;

namespace VertexTraining.Runtime;

/// <summary>
/// Reports hyperparameter tuning metrics to Vertex AI by writing the same file, in the same bytes, as
/// Python's cloudml-hypertune package (<c>hypertune.HyperTune</c>).
/// </summary>
/// <remarks>
/// <para>
/// Every report appends a record to an in-memory queue of the last <see cref="MaxRecords"/> records and
/// rewrites the whole file with them, one JSON object per line, keys sorted:
/// <c>{"accuracy": "0.93", "checkpoint_path": "", "global_step": "100", "timestamp": 1525851440.123456, "trial": "1"}</c>.
/// </para>
/// <para>
/// Unlike the Python original, the instance is thread-safe and the file is replaced atomically (written to a
/// temporary file in the same directory, then renamed over the target), so the service never reads a torn file.
/// </para>
/// </remarks>
public sealed class HyperTuneReporter
{
    /// <summary>The environment variable that overrides the metrics file path.</summary>
    public const string MetricFileVariable = "CLOUD_ML_HP_METRIC_FILE";

    /// <summary>The environment variable holding the trial id that is written into each record.</summary>
    public const string TrialIdVariable = "CLOUD_ML_TRIAL_ID";

    /// <summary>The metrics file used when <see cref="MetricFileVariable"/> is not set.</summary>
    public const string DefaultMetricPath = "/tmp/hypertune/output.metrics";

    /// <summary>The tag used when a report gives an empty metric tag.</summary>
    public const string DefaultMetricTag = "training/hptuning/metric";

    /// <summary>How many records the file keeps; older ones are dropped, as in cloudml-hypertune.</summary>
    public const int MaxRecords = 100;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _gate = new();
    private readonly Queue<string> _records = new(MaxRecords);
    private readonly Func<double> _clock;
    private readonly Dictionary<string, long> _reportsPerTag = new(StringComparer.Ordinal);

    /// <summary>Creates a reporter that writes to <paramref name="metricPath"/>.</summary>
    /// <param name="metricPath">The metrics file; its directory is created on the first report.</param>
    /// <param name="trialId">The value of the <c>trial</c> field; cloudml-hypertune writes <c>"0"</c> when there is no trial.</param>
    /// <param name="clock">
    /// Seconds since the Unix epoch, like Python's <c>time.time()</c>, for the <c>timestamp</c> field.
    /// Defaults to the system clock.
    /// </param>
    public HyperTuneReporter(string metricPath, string trialId = "0", Func<double>? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricPath);
        ArgumentNullException.ThrowIfNull(trialId);
        MetricPath = metricPath;
        TrialId = trialId;
        _clock = clock ?? UnixTimeSeconds;
    }

    /// <summary>The file this reporter rewrites on every report.</summary>
    public string MetricPath { get; }

    /// <summary>The trial id written into each record.</summary>
    public string TrialId { get; }

    /// <summary>
    /// When set, every report is also a TensorBoard scalar here (a report without a step gets the number of earlier
    /// reports of its tag). <see cref="HyperTune.Default"/> uses <see cref="TensorBoardLog.Default"/>.
    /// </summary>
    public TensorBoardEventWriter? Curves { get; set; }

    /// <summary>
    /// Creates a reporter configured like <c>hypertune.HyperTune()</c>: path from <c>CLOUD_ML_HP_METRIC_FILE</c>
    /// (default <c>/tmp/hypertune/output.metrics</c>) and trial from <c>CLOUD_ML_TRIAL_ID</c> (default <c>"0"</c>).
    /// </summary>
    public static HyperTuneReporter FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>Creates a reporter from an environment lookup (for tests and hosts with their own environment).</summary>
    /// <param name="getVariable">Returns the value of an environment variable, or <see langword="null"/> when it is not set.</param>
    public static HyperTuneReporter FromVariables(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);

        // hypertune.py uses os.environ.get(...) with a default, so a variable that is set but empty is kept.
        var path = getVariable(MetricFileVariable);
        return new HyperTuneReporter(
            string.IsNullOrEmpty(path) ? DefaultMetricPath : path,
            getVariable(TrialIdVariable) ?? "0");
    }

    /// <summary>The records currently in the file, oldest first, exactly as written (without line ends).</summary>
    public IReadOnlyList<string> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>
    /// Reports one value of a metric, as <c>report_hyperparameter_tuning_metric</c> does, and rewrites the file.
    /// </summary>
    /// <param name="metricTag">
    /// The metric id; it must equal a <c>metricId</c> of the study's metrics (the <c>VertexMetric</c> item).
    /// Empty means <see cref="DefaultMetricTag"/>.
    /// </param>
    /// <param name="value">The metric value, written as Python's <c>str(float(value))</c>.</param>
    /// <param name="step">The training step this value belongs to; none or 0 writes <c>"0"</c>.</param>
    /// <param name="checkpointPath">The checkpoint this value was measured on, if any.</param>
    /// <exception cref="IOException">The metrics file or its directory cannot be written.</exception>
    public void Report(string metricTag, double value, long? step = null, string? checkpointPath = null)
    {
        var tag = string.IsNullOrEmpty(metricTag) ? DefaultMetricTag : metricTag;
        var line = FormatRecord(tag, value, step, checkpointPath, _clock(), TrialId);
        HyperparameterReads.ReportOnce(Console.Error); // by now the app has read the hyperparameters it uses
        lock (_gate)
        {
            if (_records.Count == MaxRecords)
            {
                _records.Dequeue();
            }

            _records.Enqueue(line);
            WriteFile();

            var earlier = _reportsPerTag.GetValueOrDefault(tag);
            _reportsPerTag[tag] = earlier + 1;
            WriteCurvePoint(tag, value, step ?? earlier);
        }
    }

    /// <summary>Formats one record line the way cloudml-hypertune does.</summary>
    internal static string FormatRecord(string? metricTag, double value, long? step, string? checkpointPath, double timestamp, string trialId)
    {
        // Same insertion order as the Python dict literal, so a tag that collides with a fixed key is
        // overwritten (or overwrites) exactly as it would be there.
        var record = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["timestamp"] = PythonJson.Float(timestamp),
            ["trial"] = PythonJson.String(trialId),
        };
        record[string.IsNullOrEmpty(metricTag) ? DefaultMetricTag : metricTag] = PythonJson.String(PythonFloat.Repr(value));
        record["global_step"] = PythonJson.String((step ?? 0).ToString(CultureInfo.InvariantCulture));
        record["checkpoint_path"] = PythonJson.String(checkpointPath ?? "");
        return PythonJson.Object(record);
    }

    // The curve is a by-product: a log directory that cannot be written (or a writer already closed at exit) must not
    // fail the report the study depends on. It is said once, and no more points are tried.
    private void WriteCurvePoint(string tag, double value, long step)
    {
        if (Curves is not { } curves)
        {
            return;
        }

        try
        {
            curves.Scalar(tag, value, step);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Curves = null;
            Console.Error.WriteLine($"HyperTune: the TensorBoard curve of '{tag}' is not written any more ({e.Message}); the metric file still is.");
        }
    }

    private void WriteFile()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(MetricPath))!;
        Directory.CreateDirectory(directory);

        var content = new StringBuilder();
        foreach (var record in _records)
        {
            content.Append(record).Append('\n');
        }

        // A unique temporary name in the same directory keeps the rename atomic (same file system) and
        // keeps two processes sharing one metrics file from clobbering each other's temporary file.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(MetricPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content.ToString(), Utf8NoBom);
            File.Move(temporary, MetricPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static double UnixTimeSeconds() =>
        (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
