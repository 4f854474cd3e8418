using System.Globalization;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Core.Local;

/// <summary>
/// The lines a local tuning job prints instead of its trials' interleaved output: one per trial event (started,
/// latest value, finished, failed, stopped) and a summary of the study whenever it changes. Plain lines, so they
/// read the same in a terminal, a CI log and an MSBuild log.
/// </summary>
internal static class TrialEvents
{
    public static string Started(string trialId, string parameters, bool again) =>
        $"trial {trialId}: {(again ? "started again" : "started")} with {parameters}";

    // Values as the trial table prints them (6 significant digits): the exact ones are in job.json and the metric files.
    public static string Progress(string trialId, string metricId, MetricFile.Record latest) =>
        string.Create(CultureInfo.InvariantCulture, $"trial {trialId}: {metricId} = {TrialReport.FormatNumber(latest.Value)} at step {latest.Step}");

    public static string Finished(string trialId, string metricId, double value, long? stoppedEarlyAtStep) =>
        $"trial {trialId}: finished, {metricId} = {TrialReport.FormatNumber(value)}{(stoppedEarlyAtStep is { } step ? $" (stopped early at step {step})" : "")}";

    /// <summary>A failed trial, with the command that shows its output and where the files are.</summary>
    public static string Failed(string trialId, string reason, string jobName, RunFolder folder) =>
        $"trial {trialId}: failed: {reason} Its output: dotnet vertex logs {jobName} --task {TaskPrefix(trialId)} " +
        $"(files {Path.Combine(folder.LogsDirectory, TaskPrefix(trialId) + "-*.log")})";

    public static string StoppedWithTheJob(string trialId, bool cancelled) =>
        $"trial {trialId}: stopped, because the job {(cancelled ? "was cancelled" : "failed")}";

    /// <summary>
    /// <c>trials 2 succeeded, 2 running, 1 failed of 10; best so far: trial 3 (score = 0.93)</c>: the counts as
    /// <c>dotnet vertex wait</c> prints them for a cloud study, and the best trial.
    /// </summary>
    public static string Summary(TrialReport report)
    {
        var best = report.Best is { } row
            ? $"best so far: trial {row.Id} ({report.MetricId} = {TrialReport.FormatNumber(row.MetricValue)})"
            : "no value yet";
        return $"trials {report.Counts}; {best}";
    }

    /// <summary>Where a tuning job's task output goes when it is not streamed, and how to stream it.</summary>
    public static string OutputNotStreamed(RunFolder folder) =>
        $"trial output goes to {folder.LogsDirectory} (dotnet vertex logs shows it); --verbose, or -p:VertexLocalVerbosity=detailed, streams it here";

    /// <summary>The <c>logs --task</c> value that selects every task of a trial (<c>trial-3</c>).</summary>
    public static string TaskPrefix(string trialId) => "trial-" + trialId;
}
