using System.Text.Json.Nodes;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud.Quotas;

/// <summary>What the quota check found.</summary>
public sealed class QuotaCheckResult
{
    /// <summary>Needs compared with a limit they fit in.</summary>
    public List<(QuotaNeed Need, QuotaLimit Limit)> Fits { get; } = [];

    /// <summary>Needs above their limit: the job would wait (or be refused) whatever else is running.</summary>
    public List<(QuotaNeed Need, QuotaLimit Limit)> Exceeded { get; } = [];

    /// <summary>Needs whose metric the project's quota list does not hold: not checked.</summary>
    public List<QuotaNeed> Unchecked { get; } = [];

    /// <summary>Why the limits could not be read, or null when they were.</summary>
    public string? Unreadable { get; set; }

    /// <summary>One VTX4060 error per exceeded quota, naming the quota, the limit, the request and where to ask for more.</summary>
    public IEnumerable<VertexDiagnostic> Errors(string project, string region) => Exceeded.Select(e => new VertexDiagnostic(
        DiagnosticCodes.QuotaExceeded, "VertexQuotaCheck",
        $"The job needs {e.Need.Amount} of quota {e.Limit.QuotaId} ({e.Need.Metric}) in {region}, but the project {project} has a limit of {e.Limit.Limit}: "
        + $"{e.Need.Pools}. Request more at {QuotaCheck.IncreaseUrl(e.Limit, project)}, use fewer or smaller machines, "
        + "or another region; -p:VertexQuotaCheck=false submits anyway."));
}

/// <summary>
/// Compares what a job document asks for with the project's custom-training limits, before its image is pushed.
/// The limits are read with a short deadline and no retries: a check that cannot answer (no permission, the
/// Cloud Quotas API disabled, no network, a slow answer) is one line of warning, never a reason not to submit.
/// </summary>
public static class QuotaCheck
{
    /// <summary>How long reading the limits may take before the submission goes on without them.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Where to ask for more: the service's own link when it gives one, else the console's quota page.</summary>
    public static string IncreaseUrl(QuotaLimit limit, string project) =>
        limit.IncreaseUrl is { Length: > 0 } url ? url : $"https://console.cloud.google.com/iam-admin/quotas?project={Uri.EscapeDataString(project)}&metric={Uri.EscapeDataString(limit.Metric)}";

    /// <summary>Runs the check.</summary>
    /// <param name="readLimits">Reads the limits (see <see cref="CloudQuotasClient.TrainingLimitsAsync"/>).</param>
    /// <param name="document">The job document about to be posted.</param>
    /// <param name="deadline">The longest the limits may take to read.</param>
    /// <param name="cancellationToken">Ctrl-C.</param>
    public static async Task<QuotaCheckResult> RunAsync(Func<CancellationToken, Task<IReadOnlyDictionary<string, QuotaLimit>>> readLimits,
        JsonObject document, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var result = new QuotaCheckResult();
        var needs = QuotaDemand.Of(document);
        if (needs.Count == 0)
        {
            return result;
        }

        IReadOnlyDictionary<string, QuotaLimit> limits;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(deadline);
            try
            {
                limits = await readLimits(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result.Unreadable = $"the Cloud Quotas API did not answer within {deadline.TotalSeconds:0.#} s";
                return result;
            }
            catch (VertexCloudException e)
            {
                result.Unreadable = $"{e.Code}: {BoundedBody.Snippet(e.Message, 400)}";
                return result;
            }
        }

        foreach (var need in needs)
        {
            if (!limits.TryGetValue(need.Metric, out var limit))
            {
                result.Unchecked.Add(need);
            }
            else if (limit.Limit is { } value && need.Amount > value)
            {
                result.Exceeded.Add((need, limit));
            }
            else
            {
                result.Fits.Add((need, limit));
            }
        }

        return result;
    }
}
