using VertexTraining.Cli.Auth;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Cloud.Quotas;

namespace VertexTraining.Cli.Cloud;

/// <summary>The authorized clients one command uses: Vertex AI jobs for a region, and Cloud Logging (and, for the quota check, Cloud Quotas).</summary>
internal sealed class CloudSession
{
    private CloudSession(VertexJobClient jobs, CloudLoggingClient logs)
    {
        Jobs = jobs;
        Logs = logs;
    }

    public VertexJobClient Jobs { get; }

    public CloudLoggingClient Logs { get; }

    /// <summary>Resolves credentials and builds the clients for <paramref name="region"/>.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="region">The region whose endpoint to call.</param>
    /// <param name="apiEndpoint">--api-endpoint, which wins over $VERTEX_API_ENDPOINT.</param>
    /// <param name="verbose">Trace requests to stderr.</param>
    /// <param name="cancellationToken">Cancels credential discovery.</param>
    public static async Task<CloudSession> CreateAsync(CliContext context, string region, string? apiEndpoint, bool verbose, CancellationToken cancellationToken)
    {
        var (tokens, trace) = await AuthorizeAsync(context, verbose, cancellationToken).ConfigureAwait(false);
        var vertexBase = VertexEndpoints.ForRegion(region, apiEndpoint ?? context.Variable(VertexEndpoints.ApiEndpointVariable));
        var loggingBase = VertexEndpoints.Logging(context.Variable(VertexEndpoints.LoggingEndpointVariable));
        var jobs = new VertexJobClient(new CloudHttpClient(context.Http, vertexBase, tokens, context.Retry, "Vertex AI", trace));
        var logs = new CloudLoggingClient(new CloudHttpClient(context.Http, loggingBase, tokens, context.Retry, "Cloud Logging", trace));
        return new CloudSession(jobs, logs);
    }

    /// <summary>
    /// A Cloud Quotas client, authorized and traced as the session's clients are, with its own
    /// <paramref name="retry"/> policy (the quota check makes one attempt within its deadline).
    /// </summary>
    public static async Task<CloudQuotasClient> QuotasAsync(CliContext context, Uri baseUri, RetryPolicy retry, bool verbose, CancellationToken cancellationToken)
    {
        var (tokens, trace) = await AuthorizeAsync(context, verbose, cancellationToken).ConfigureAwait(false);
        return new CloudQuotasClient(new CloudHttpClient(context.Http, baseUri, tokens, retry, "Cloud Quotas", trace));
    }

    // The credentials and the --verbose request trace every Cloud client of a command shares.
    private static async Task<(GoogleTokenSource Tokens, Action<string>? Trace)> AuthorizeAsync(CliContext context, bool verbose, CancellationToken cancellationToken)
    {
        var credential = await ApplicationDefaultCredentials.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        Action<string>? trace = verbose ? line => context.Err.WriteLine($"  [http] {line}") : null;
        trace?.Invoke($"credentials: {credential.Type} from {credential.Source}");
        return (new GoogleTokenSource(credential), trace);
    }
}
