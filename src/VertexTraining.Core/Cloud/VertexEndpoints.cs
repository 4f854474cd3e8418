namespace VertexTraining.Core.Cloud;

/// <summary>Base URLs of the services, with the overrides tests and private endpoints use.</summary>
public static class VertexEndpoints
{
    /// <summary>Environment variable overriding the Vertex AI base URL.</summary>
    public const string ApiEndpointVariable = "VERTEX_API_ENDPOINT";

    /// <summary>Environment variable overriding the Cloud Logging base URL.</summary>
    public const string LoggingEndpointVariable = "VERTEX_LOGGING_ENDPOINT";

    /// <summary>Environment variable overriding the Cloud Quotas base URL (VertexQuotaApiEndpoint, --quota-endpoint win over it).</summary>
    public const string QuotaEndpointVariable = "VERTEX_QUOTA_ENDPOINT";

    /// <summary>The Cloud Quotas API.</summary>
    public const string DefaultQuotaEndpoint = "https://cloudquotas.googleapis.com";

    /// <summary>The Cloud Logging API.</summary>
    public const string DefaultLoggingEndpoint = "https://logging.googleapis.com";

    /// <summary>Vertex AI requires the regional host: <c>https://{region}-aiplatform.googleapis.com</c>.</summary>
    /// <exception cref="VertexCloudException">The region is not one (VTX1004): it would become part of the host.</exception>
    public static Uri ForRegion(string region, string? overrideUrl)
    {
        var checkedRegion = CloudNameSegments.Region(region, "The region");
        return Normalize(string.IsNullOrWhiteSpace(overrideUrl) ? $"https://{checkedRegion}-aiplatform.googleapis.com" : overrideUrl);
    }

    /// <summary>The logging endpoint, or its override.</summary>
    public static Uri Logging(string? overrideUrl) =>
        Normalize(string.IsNullOrWhiteSpace(overrideUrl) ? DefaultLoggingEndpoint : overrideUrl);

    /// <summary>The Cloud Quotas endpoint, or its override.</summary>
    public static Uri Quotas(string? overrideUrl) =>
        Normalize(string.IsNullOrWhiteSpace(overrideUrl) ? DefaultQuotaEndpoint : overrideUrl);

    /// <summary>A base URL that ends with exactly one slash, so relative paths append.</summary>
    public static Uri Normalize(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new VertexCloudException(Diagnostics.DiagnosticCodes.InvalidApiEndpoint,
                $"'{url}' is not an http(s) URL; set VertexApiEndpoint / --api-endpoint to a base URL such as https://us-central1-aiplatform.googleapis.com.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}

/// <summary>Links into the Google Cloud console (the form python-aiplatform's jobs.py _dashboard_uri builds).</summary>
public static class ConsoleUrls
{
    /// <summary>The job's page, the link python-aiplatform prints for both job kinds.</summary>
    /// <param name="name">The job.</param>
    /// <param name="projectId">The project id, when known; the name may carry the project number instead.</param>
    public static string ForJob(JobName name, string? projectId = null) =>
        $"https://console.cloud.google.com/ai/platform/locations/{Uri.EscapeDataString(name.Location)}/training/{Uri.EscapeDataString(name.Id)}?project={Uri.EscapeDataString(projectId ?? name.Project)}";
}
