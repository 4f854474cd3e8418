using System.Net;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Auth;

/// <summary>
/// Access tokens from the resolved credential (Google.Apis.Auth caches and refreshes them). A refusal
/// becomes VTX3005 naming the credential's type and source and what to do; an outage of the token
/// endpoint (5xx, 408, 429, timeout, network) becomes a transient VTX3007 that callers retry. Tokens are never logged.
/// </summary>
internal sealed class GoogleTokenSource(ResolvedCredential credential) : IAccessTokenSource
{
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) =>
        ObtainAsync(() => credential.Access.GetAccessTokenForRequestAsync(null, cancellationToken), cancellationToken);

    public Task<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken) =>
        ObtainAsync(async () =>
        {
            await ForceRefreshAsync(credential.Access, cancellationToken).ConfigureAwait(false);
            return await credential.Access.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // The library refreshes only near the expiry it was told; a token refused earlier (revoked, rotated) needs a push.
    private static async Task ForceRefreshAsync(object access, CancellationToken cancellationToken)
    {
        switch (access)
        {
            case GoogleCredential google:
                await ForceRefreshAsync(google.UnderlyingCredential, cancellationToken).ConfigureAwait(false);
                break;
            case ServiceCredential service:
                await service.RequestAccessTokenAsync(cancellationToken).ConfigureAwait(false);
                break;
            case UserCredential user:
                await user.RefreshTokenAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task<string> ObtainAsync(Func<Task<string?>> obtain, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await obtain().ConfigureAwait(false);
        }
        catch (TokenResponseException e) when (IsTransientStatus(e.StatusCode))
        {
            throw Unavailable($"the token endpoint answered {(int)e.StatusCode!} {e.StatusCode}", e);
        }
        catch (TokenResponseException e)
        {
            var reason = string.Join(": ", new[] { e.Error?.Error, e.Error?.ErrorDescription }.Where(s => !string.IsNullOrEmpty(s)));
            throw Failure($"the token endpoint refused it ({(reason.Length > 0 ? reason : e.StatusCode?.ToString() ?? "no reason given")})", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable("the token endpoint did not answer in time", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw Unavailable($"the token endpoint could not be reached ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidOperationException or UnauthorizedAccessException)
        {
            throw Failure(e.Message, e);
        }

        if (string.IsNullOrEmpty(token))
        {
            throw Failure("the token endpoint returned no access token", null);
        }

        return token;
    }

    private static bool IsTransientStatus(HttpStatusCode? status) => status is { } code && RetryPolicy.IsRetryableStatus((int)code);

    private string Endpoint => credential.TokenEndpoint is null ? "" : " from " + credential.TokenEndpoint;

    private CredentialException Failure(string why, Exception? inner) => new(DiagnosticCodes.TokenRequestFailed,
        $"The {credential.Type} credential from {credential.Source} could not get an access token{Endpoint}: {why}. {credential.Fix}",
        inner);

    // Not the credential's fault: no advice to replace it, and callers retry.
    private CredentialException Unavailable(string why, Exception inner) => new(DiagnosticCodes.TokenEndpointUnavailable,
        $"The {credential.Type} credential from {credential.Source} could not get an access token{Endpoint}: {why}. "
        + "This is usually temporary and the credential itself was not refused: try again shortly, and check the network or proxy if it persists.",
        inner)
    { IsTransient = true };
}
