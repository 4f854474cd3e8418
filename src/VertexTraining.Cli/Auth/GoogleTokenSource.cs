using Google.Apis.Auth.OAuth2.Responses;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Auth;

/// <summary>
/// Access tokens from the resolved credential (Google.Apis.Auth caches and refreshes them). Failures
/// become VTX3005 naming the credential's type and source and what to do; tokens are never logged.
/// </summary>
internal sealed class GoogleTokenSource(ResolvedCredential credential) : IAccessTokenSource
{
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await credential.Access.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException e)
        {
            var reason = string.Join(": ", new[] { e.Error?.Error, e.Error?.ErrorDescription }.Where(s => !string.IsNullOrEmpty(s)));
            throw Failure($"the token endpoint refused it ({(reason.Length > 0 ? reason : e.StatusCode?.ToString() ?? "no reason given")})", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure("the token endpoint did not answer in time", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw Failure(e.Message, e);
        }

        if (string.IsNullOrEmpty(token))
        {
            throw Failure("the token endpoint returned no access token", null);
        }

        return token;
    }

    private CredentialException Failure(string why, Exception? inner) => new(DiagnosticCodes.TokenRequestFailed,
        $"The {credential.Type} credential from {credential.Source} could not get an access token{(credential.TokenEndpoint is null ? "" : " from " + credential.TokenEndpoint)}: {why}. {credential.Fix}",
        inner);
}
