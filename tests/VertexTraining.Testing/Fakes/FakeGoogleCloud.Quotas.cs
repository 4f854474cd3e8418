using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VertexTraining.Testing.Fakes;

/// <summary>
/// The Cloud Quotas API v1 on the fake: quotaInfos.list of aiplatform.googleapis.com, paged, in the shape of
/// the REST reference (QuotaInfo with metric, quotaId and dimensionsInfos, the region-specific entry first).
/// Faults (403, slow answers) are injected like any other with <see cref="FakeGoogleCloud.Inject"/>.
/// </summary>
public sealed partial class FakeGoogleCloud
{
    private readonly Dictionary<string, long> _quotaLimits = new(StringComparer.Ordinal);

    /// <summary>QuotaInfos per page at most (small, so the client must follow nextPageToken).</summary>
    public int QuotaPageSize { get; set; } = 2;

    /// <summary>Sets the project's limit of <paramref name="metric"/> in <see cref="Region"/> (everywhere else: 0).</summary>
    public void SetQuota(string metric, long limit)
    {
        lock (_quotaLimits)
        {
            _quotaLimits[metric] = limit;
        }
    }

    private static bool IsQuotaInfosPath(string path) =>
        path == $"/v1/projects/{ProjectId}/locations/global/services/aiplatform.googleapis.com/quotaInfos";

    private (int, JsonNode) ListQuotaInfos(IQueryCollection query)
    {
        List<JsonObject> infos;
        lock (_quotaLimits)
        {
            // A quota that is not custom training, as the real list holds hundreds of them.
            infos = [Info("aiplatform.googleapis.com/online_prediction_requests_per_base_model", "OnlinePredictionRequestsPerMinutePerProjectPerBaseModel", 30000),
                .. _quotaLimits.Select(q => Info(q.Key, QuotaId(q.Key), q.Value))];
        }

        var start = int.TryParse(query["pageToken"], NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token : 0;
        var page = infos.Skip(start).Take(QuotaPageSize).ToList();
        var body = new JsonObject { ["quotaInfos"] = new JsonArray([.. page]) };
        if (start + page.Count < infos.Count)
        {
            body["nextPageToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return (200, body);
    }

    /// <summary>The quota id the fake gives a metric: custom_model_training_nvidia_l4_gpus → CustomModelTrainingNvidiaL4GpusPerProjectPerRegion.</summary>
    public static string QuotaId(string metric) =>
        string.Concat(metric[(metric.IndexOf('/') + 1)..].Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "PerProjectPerRegion";

    private static JsonObject Info(string metric, string quotaId, long limit) => new()
    {
        ["name"] = $"projects/{ProjectNumber}/locations/global/services/aiplatform.googleapis.com/quotaInfos/{quotaId}",
        ["quotaId"] = quotaId,
        ["metric"] = metric,
        ["service"] = "aiplatform.googleapis.com",
        ["isPrecise"] = true,
        ["containerType"] = "PROJECT",
        ["dimensions"] = new JsonArray("region"),
        ["dimensionsInfos"] = new JsonArray(
            new JsonObject
            {
                ["dimensions"] = new JsonObject { ["region"] = Region },
                ["details"] = new JsonObject { ["value"] = limit.ToString(CultureInfo.InvariantCulture) },
                ["applicableLocations"] = new JsonArray(Region),
            },
            new JsonObject
            {
                ["dimensions"] = new JsonObject(),
                ["details"] = new JsonObject { ["value"] = "0" },
                ["applicableLocations"] = new JsonArray("europe-west4", "asia-east1"),
            }),
    };
}
