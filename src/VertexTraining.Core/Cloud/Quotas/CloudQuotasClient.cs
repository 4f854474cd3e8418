using System.Globalization;
using System.Text.Json.Nodes;

namespace VertexTraining.Core.Cloud.Quotas;

/// <summary>One quota's limit for the project in the region.</summary>
/// <param name="Metric">The quota metric.</param>
/// <param name="QuotaId">The quota's id, e.g. <c>CustomModelTrainingNvidiaL4GpusPerProjectPerRegion</c>.</param>
/// <param name="Limit">The limit in the region; null when unlimited (the API's -1).</param>
/// <param name="IncreaseUrl">Where the service says more can be requested (QuotaInfo.serviceRequestQuotaUri), if it says.</param>
public sealed record QuotaLimit(string Metric, string QuotaId, long? Limit, string? IncreaseUrl);

/// <summary>
/// Reads the project's custom-training limits with the Cloud Quotas API v1
/// (<c>GET /v1/projects/{project}/locations/global/services/aiplatform.googleapis.com/quotaInfos</c>, paged;
/// permission <c>cloudquotas.quotas.get</c>). Each QuotaInfo carries its metric and dimensionsInfos, the most
/// specific first: the entry whose <c>region</c> dimension is the job's region wins, else the one without a region.
/// </summary>
public sealed class CloudQuotasClient(CloudHttpClient http)
{
    /// <summary>Pages read at most: aiplatform has a few hundred quotas, a few pages of 500.</summary>
    public const int MaxPages = 20;

    /// <summary>The limits of every custom-training metric, by metric (the lowest when several quotas share one).</summary>
    public async Task<IReadOnlyDictionary<string, QuotaLimit>> TrainingLimitsAsync(string project, string region, CancellationToken cancellationToken)
    {
        var limits = new Dictionary<string, QuotaLimit>(StringComparer.Ordinal);
        var basePath = $"v1/projects/{CloudNameSegments.Project(project, "The project")}/locations/global/services/{TrainingQuotaMetrics.Service}/quotaInfos?pageSize=500";
        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = pageToken is null ? basePath : $"{basePath}&pageToken={Uri.EscapeDataString(pageToken)}";
            var body = await http.SendAsync(HttpMethod.Get, http.Url(path), null, cancellationToken).ConfigureAwait(false);
            foreach (var info in (body["quotaInfos"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Read(info, region) is { } limit && (!limits.TryGetValue(limit.Metric, out var known) || Lower(limit, known)))
                {
                    limits[limit.Metric] = limit;
                }
            }

            pageToken = body["nextPageToken"]?.GetValue<string>();
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
        }

        return limits;
    }

    private static bool Lower(QuotaLimit candidate, QuotaLimit known) => candidate.Limit is { } value && (known.Limit is null || value < known.Limit);

    private static QuotaLimit? Read(JsonObject info, string region)
    {
        if (info["metric"]?.GetValue<string>() is not { } metric || !metric.StartsWith(TrainingQuotaMetrics.Prefix, StringComparison.Ordinal)
            || info["dimensionsInfos"] is not JsonArray dimensionsInfos)
        {
            return null;
        }

        var entries = dimensionsInfos.OfType<JsonObject>().ToList();
        var chosen = entries.FirstOrDefault(e => RegionOf(e) == region) ?? entries.FirstOrDefault(e => RegionOf(e) is null);
        if (chosen?["details"]?["value"] is not JsonValue value)
        {
            return null;
        }

        var limit = value.TryGetValue<long>(out var number) ? number
            : value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : (long?)null;
        if (limit is null)
        {
            return null;
        }

        return new QuotaLimit(metric, info["quotaId"]?.GetValue<string>() ?? metric, limit < 0 ? null : limit, info["serviceRequestQuotaUri"]?.GetValue<string>());
    }

    private static string? RegionOf(JsonObject dimensionsInfo) => dimensionsInfo["dimensions"]?["region"]?.GetValue<string>();
}
