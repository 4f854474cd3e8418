namespace VertexTraining.Core.Cloud;

/// <summary>
/// Hands out OAuth2 access tokens for <c>https://www.googleapis.com/auth/cloud-platform</c>.
/// Implemented by the CLI on top of Google.Apis.Auth, so Core (and the MSBuild tasks that load it)
/// never depend on an auth library.
/// </summary>
public interface IAccessTokenSource
{
    /// <summary>A valid access token; implementations cache and refresh. Failures throw a VTX3xxx <see cref="VertexCloudException"/>.</summary>
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A new token in place of <paramref name="rejectedToken"/>, which the API refused (401) before its stated
    /// expiry. Failures throw as <see cref="GetAccessTokenAsync"/> does.
    /// </summary>
    Task<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken) => GetAccessTokenAsync(cancellationToken);
}
