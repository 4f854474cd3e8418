using Google.Apis.Auth.OAuth2;

namespace VertexTraining.Cli.Auth;

/// <summary>The credential Application Default Credentials found, and what to tell the user about it.</summary>
/// <param name="Type">service_account, authorized_user, external_account, impersonated_service_account, external_account_authorized_user or metadata_server.</param>
/// <param name="Source">Where it came from, e.g. <c>GOOGLE_APPLICATION_CREDENTIALS=/path/key.json</c>.</param>
/// <param name="Identity">The principal, when the credential tells (service account email, account).</param>
/// <param name="TokenEndpoint">Where tokens come from, for messages.</param>
/// <param name="Access">Produces the tokens.</param>
internal sealed record ResolvedCredential(string Type, string Source, string? Identity, string? TokenEndpoint, ITokenAccess Access)
{
    /// <summary>What to do when this kind of credential cannot produce a token.</summary>
    public string Fix => Type switch
    {
        CredentialTypes.ServiceAccount => "Check that the key still exists and the service account is enabled (IAM > Service accounts), or create a new key.",
        CredentialTypes.AuthorizedUser => "Run 'gcloud auth application-default login' again: the refresh token may have expired or been revoked.",
        CredentialTypes.ExternalAccount => "Check the workload identity pool provider, the audience, and that the subject token (file or URL in credential_source) is present and current.",
        CredentialTypes.MetadataServer => "Check that a service account with the cloud-platform scope is attached to this VM or runtime.",
        _ => "Check the credential file, or run 'gcloud auth application-default login'.",
    };
}

/// <summary>The credential types we recognise (the <c>type</c> of a credential file, plus the metadata server).</summary>
internal static class CredentialTypes
{
    public const string ServiceAccount = "service_account";
    public const string AuthorizedUser = "authorized_user";
    public const string ExternalAccount = "external_account";
    public const string ImpersonatedServiceAccount = "impersonated_service_account";
    public const string ExternalAccountAuthorizedUser = "external_account_authorized_user";
    public const string MetadataServer = "metadata_server";
}
