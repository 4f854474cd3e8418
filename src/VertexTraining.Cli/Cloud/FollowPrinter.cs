using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Prints what a follower sees: state changes, log lines prefixed with their task, trial progress. Cloud jobs
/// (through <see cref="IJobFollowObserver"/>) and local jobs (<see cref="FollowRunner.FollowLocalAsync"/>) print alike.
/// </summary>
internal sealed class FollowPrinter(TextWriter output, TextWriter error, bool printStates, Func<LogLine, string>? formatLine = null) : IJobFollowObserver
{
    private string? _progress;
    private string? _lastLogError;

    void IJobFollowObserver.StateChanged(VertexJob job, string? previousState) => StateChanged(JobView.FromCloud(job));

    void IJobFollowObserver.Polled(VertexJob job) => Polled(JobView.FromCloud(job));

    /// <summary>The job entered a new state (or ended).</summary>
    public void StateChanged(JobView job)
    {
        if (!printStates)
        {
            return;
        }

        var verb = JobStates.IsTerminal(job.State) ? "ended" : "is";
        output.WriteLine($"VertexTraining: {job.Id} {verb} {JobStates.Short(job.State)}{(job.Error?.Message is { Length: > 0 } message ? $" ({message})" : "")}");
    }

    /// <summary>New log lines, each printed once.</summary>
    public void LogLines(IReadOnlyList<LogLine> lines)
    {
        foreach (var line in lines)
        {
            output.WriteLine(formatLine?.Invoke(line) ?? line.ToString());
        }
    }

    /// <summary>Every poll's job: prints trial progress when it changed.</summary>
    public void Polled(JobView job)
    {
        if (!printStates || job.TuningJob is not { } tuning || tuning.Trials is null)
        {
            return;
        }

        var progress = TrialReport.Progress(tuning).ToString();
        if (progress != _progress)
        {
            _progress = progress;
            output.WriteLine($"VertexTraining: trials {progress}");
        }
    }

    public void LogsUnavailable(CloudApiException failure, bool givingUp)
    {
        // A flaky log read is worth one line, not one per poll.
        if (failure.Message == _lastLogError)
        {
            return;
        }

        _lastLogError = failure.Message;
        var consequence = givingUp ? "following the job's state without its log" : "will try again at the next poll";
        error.WriteLine(new VertexDiagnostic(failure.Code, "logs", $"{failure.Message} ({consequence})", IsWarning: true).ToCanonicalString());
    }

    public void ConnectionLost(DateTimeOffset since, VertexCloudException failure) =>
        error.WriteLine($"VertexTraining: connection lost, retrying since {since:HH:mm:ss} ({failure.Code}: {BoundedBody.Snippet(failure.Message, 300)}); "
            + "the job runs on, and following resumes when the service answers (Ctrl-C stops following).");

    public void WaitingLong(VertexJob job, TimeSpan waited)
    {
        // Followers that print only log lines (logs --follow) get it on stderr, where it cannot be mistaken for the job's output.
        foreach (var line in WaitingJobAdvice.For(job.Name.Id, job.State, waited))
        {
            (printStates ? output : error).WriteLine(line);
        }
    }

    public void ConnectionRestored(DateTimeOffset since, TimeSpan outage) =>
        error.WriteLine($"VertexTraining: connection restored after {Duration(outage)} (lost at {since:HH:mm:ss}).");

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h {span.Minutes}m {span.Seconds}s"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s" : $"{Math.Max(0, span.Seconds)}s";

    /// <summary>The exit code of a final job; a job that did not succeed also gets its VTX line on stderr.</summary>
    public static int Conclude(VertexJob job, TextWriter error) => Conclude(JobView.FromCloud(job), error);

    /// <summary>The exit code of a final job (cloud or local); a job that did not succeed also gets its VTX line on stderr.</summary>
    public static int Conclude(JobView job, TextWriter error)
    {
        var outcome = JobStates.Outcome(job.State);
        var code = outcome switch
        {
            JobOutcome.Succeeded => null,
            JobOutcome.Failed => DiagnosticCodes.JobEndedFailed,
            JobOutcome.Cancelled => DiagnosticCodes.JobEndedCancelled,
            _ => DiagnosticCodes.JobEndedOtherwise,
        };
        if (code is not null)
        {
            // FAILED and CANCELLED speak for themselves (with the job's error); the rarer ends say what they mean.
            var detail = job.Error?.Message is { Length: > 0 } message ? $": {message}"
                : outcome == JobOutcome.Other ? $": {JobStates.Meaning(job.State)}" : "";
            error.WriteLine(new VertexDiagnostic(code, "job", $"Job {job.Name} ended {JobStates.Short(job.State)}{detail}").ToCanonicalString());
        }

        return ExitCodes.ForOutcome(outcome);
    }

    /// <summary>What to tell a user who pressed Ctrl-C: the job runs on; here is how to come back or stop it.</summary>
    public static void Detached(string name, TextWriter error)
    {
        error.WriteLine(LocalJobName.IsLocal(name)
            ? $"VertexTraining: stopped following; the job keeps running in its local-run process: {name}"
            : $"VertexTraining: stopped following; the job keeps running on Vertex AI: {name}");
        error.WriteLine($"VertexTraining: re-attach with: dotnet vertex wait {name}");
        error.WriteLine($"VertexTraining: cancel it with: dotnet vertex cancel {name}");
    }
}
