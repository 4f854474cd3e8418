namespace VertexTraining.Runtime;

/// <summary>
/// Reports hyperparameter tuning metrics from anywhere in the training app, like Python's
/// <c>hypertune.HyperTune().report_hyperparameter_tuning_metric(...)</c>.
/// </summary>
/// <example>
/// <code>
/// HyperTune.Report("accuracy", 0.93, step: 100);
/// </code>
/// </example>
public static class HyperTune
{
    private static readonly Lazy<HyperTuneReporter> DefaultReporter = new(() =>
    {
        var reporter = HyperTuneReporter.FromEnvironment();
        reporter.Curves = TensorBoardLog.Default;
        return reporter;
    });

    /// <summary>
    /// The process-wide reporter, created on first use from <c>CLOUD_ML_HP_METRIC_FILE</c> and
    /// <c>CLOUD_ML_TRIAL_ID</c>. It keeps one queue, so all reports of the process land in one file; each report is
    /// also a TensorBoard scalar under <c>AIP_TENSORBOARD_LOG_DIR</c> (<see cref="TensorBoardLog"/>) when it is set.
    /// </summary>
    public static HyperTuneReporter Default => DefaultReporter.Value;

    /// <summary>Reports one value of a metric through <see cref="Default"/>.</summary>
    /// <param name="metricTag">The metric id; it must equal a <c>metricId</c> of the study (the <c>VertexMetric</c> item). Empty means <c>training/hptuning/metric</c>.</param>
    /// <param name="value">The metric value.</param>
    /// <param name="step">The training step this value belongs to.</param>
    /// <param name="checkpointPath">The checkpoint this value was measured on, if any.</param>
    /// <exception cref="IOException">The metrics file or its directory cannot be written.</exception>
    public static void Report(string metricTag, double value, long? step = null, string? checkpointPath = null) =>
        Default.Report(metricTag, value, step, checkpointPath);
}
