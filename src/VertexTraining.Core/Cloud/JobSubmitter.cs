using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>The job a submission created (or adopted), and how it got there.</summary>
/// <param name="Job">The job as the service returned it.</param>
/// <param name="SubmissionId">The value of the submission label.</param>
/// <param name="Adopted">True when the create call failed ambiguously and the job was found by its label.</param>
/// <param name="Attempts">Create attempts made.</param>
public sealed record SubmissionResult(VertexJob Job, string SubmissionId, bool Adopted, int Attempts);

/// <summary>
/// Submits a job document exactly once. Create is not idempotent on Vertex (no request id), so each
/// submission carries a unique label; after an ambiguous failure (timeout, reset, 5xx) the service is
/// asked for a job with that label, and that job is adopted instead of creating a second one.
/// </summary>
public sealed class JobSubmitter
{
    /// <summary>The label carrying the submission id.</summary>
    public const string SubmissionLabelKey = "vertex-training-submission-id";

    private readonly VertexJobClient _jobs;
    private readonly Action<string>? _trace;

    /// <summary>Creates a submitter.</summary>
    public JobSubmitter(VertexJobClient jobs, Action<string>? trace = null)
    {
        _jobs = jobs;
        _trace = trace;
    }

    /// <summary>A fresh submission id: a UUID as 32 lowercase hex digits, valid as a label value.</summary>
    public static string NewSubmissionId() => Guid.NewGuid().ToString("N");

    /// <summary>A copy of the document with the submission label added; nothing else changes.</summary>
    /// <exception cref="VertexCloudException">The document's labels are not an object (they would be lost).</exception>
    public static JsonObject WithSubmissionLabel(JsonObject document, string submissionId)
    {
        var copy = (JsonObject)document.DeepClone();
        if (copy["labels"] is not JsonObject labels)
        {
            if (copy["labels"] is { } notAnObject)
            {
                throw new VertexCloudException(DiagnosticCodes.InvalidRequestDocument,
                    $"The request's \"labels\" is {notAnObject.GetValueKind().ToString().ToLowerInvariant()} {BoundedBody.Snippet(notAnObject.ToJsonString(), 80)}; it must be an object of label keys to values, e.g. {{\"team\": \"ml\"}}.");
            }

            labels = new JsonObject();
            copy["labels"] = labels;
        }

        labels[SubmissionLabelKey] = submissionId;
        return copy;
    }

    /// <summary>Creates the job, or adopts the one an ambiguous failure left behind.</summary>
    /// <param name="project">Project id.</param>
    /// <param name="location">Region.</param>
    /// <param name="document">The request body (job-request.json), posted unchanged but for the label.</param>
    /// <param name="submissionId">The id for the label; a new one when null.</param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    public async Task<SubmissionResult> SubmitAsync(string project, string location, JsonObject document, string? submissionId, CancellationToken cancellationToken)
    {
        submissionId ??= NewSubmissionId();
        var kind = JobDocument.KindOf(document);
        var body = WithSubmissionLabel(document, submissionId);
        var retry = _jobs.Http.Retry;
        CloudCallFailure? lastFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            if (lastFailure is not null && await FindBySubmissionIdAsync(project, location, kind, submissionId, lastFailure, cancellationToken).ConfigureAwait(false) is { } adopted)
            {
                _trace?.Invoke($"adopted {adopted.Name}: the earlier create did reach the service (label {SubmissionLabelKey}={submissionId})");
                return new SubmissionResult(adopted, submissionId, Adopted: true, attempt - 1);
            }

            var outcome = await _jobs.TryCreateOnceAsync(project, location, kind, body, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is not { } failure)
            {
                return new SubmissionResult(VertexJob.FromJson(outcome.Result!), submissionId, Adopted: false, attempt);
            }

            // 400/401/403/404/409 are answers, not accidents: report them, never repeat them.
            if (!failure.Retryable)
            {
                throw failure.ToException(1);
            }

            if (attempt >= retry.MaxAttempts)
            {
                if (failure.MayHaveTakenEffect
                    && await FindBySubmissionIdAsync(project, location, kind, submissionId, failure, cancellationToken).ConfigureAwait(false) is { } late)
                {
                    return new SubmissionResult(late, submissionId, Adopted: true, attempt);
                }

                throw failure.ToException(attempt);
            }

            lastFailure = failure;
            var delay = retry.BackoffFor(attempt, failure.RetryDelay);
            _trace?.Invoke($"create failed ({failure.Summary}); {(failure.MayHaveTakenEffect ? "checking for the job by its submission label, then " : "")}retrying in {delay.TotalSeconds:0.###} s");
            await retry.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<VertexJob?> FindBySubmissionIdAsync(string project, string location, JobKind kind, string submissionId, CloudCallFailure cause, CancellationToken cancellationToken)
    {
        if (!cause.MayHaveTakenEffect)
        {
            return null;
        }

        var filter = new JobListFilter().Label(SubmissionLabelKey, submissionId).Build();
        try
        {
            await foreach (var job in _jobs.ListAllAsync(project, location, kind, filter, pageSize: null, cancellationToken).ConfigureAwait(false))
            {
                // Trust the label, not only the filter: a service that ignored the filter must not make us adopt a stranger.
                if (job.Labels.TryGetValue(SubmissionLabelKey, out var value) && value == submissionId)
                {
                    return job;
                }
            }

            return null;
        }
        catch (CloudApiException e)
        {
            throw new CloudApiException(DiagnosticCodes.SubmissionOutcomeUnknown,
                $"Creating the job failed ambiguously ({cause.Summary}) and checking whether it was created failed too: {e.Message} "
                + $"It may exist: look for it with 'dotnet vertex list --project {project} --region {location} --label {SubmissionLabelKey}={submissionId}' before submitting again.",
                e.HttpStatus, e.ServiceStatus, e.ServiceMessage, e);
        }
    }
}
