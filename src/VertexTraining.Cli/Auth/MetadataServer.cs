using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Auth;

/// <summary>
/// The Compute Engine / Cloud Run metadata server, reached at <c>http://{host}</c> with the
/// <c>Metadata-Flavor: Google</c> header that proves the answer comes from Google's server.
/// </summary>
internal sealed class MetadataServer(string host, HttpClient http)
{
    // Off Google Cloud the address is a black hole: answer quickly rather than hang every command.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1.5);

    public string BaseUrl { get; } = $"http://{host}/computeMetadata/v1/";

    public string TokenUrl => BaseUrl + "instance/service-accounts/default/token";

    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await GetAsync(BaseUrl, ProbeTimeout, cancellationToken).ConfigureAwait(false);
            return response.Headers.TryGetValues("Metadata-Flavor", out var flavor) && flavor.Contains("Google");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task<string?> TryGetDefaultServiceAccountAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await GetAsync(BaseUrl + "instance/service-accounts/default/email", TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            // An email address: a few bytes are plenty, and more means this is not the metadata server we expect.
            return response.IsSuccessStatusCode && await BoundedBody.ReadAsync(response.Content, 1024, cancellationToken).ConfigureAwait(false) is (var email, true)
                ? email.Trim()
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata-Flavor", "Google");
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        return await http.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
    }
}
