using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Auth;

/// <summary>
/// Finds Application Default Credentials the way Google's libraries do: GOOGLE_APPLICATION_CREDENTIALS,
/// then gcloud's well-known file, then the metadata server. Unlike the library's own lookup it reads the
/// environment through <see cref="CliContext"/> and reports which sources it tried, so a failure can
/// say exactly what to fix.
/// </summary>
internal static partial class ApplicationDefaultCredentials
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
    public const string CredentialsVariable = "GOOGLE_APPLICATION_CREDENTIALS";
    public const string MetadataHostVariable = "GCE_METADATA_HOST";
    private const string WellKnownFileName = "application_default_credentials.json";
    private const int MaxCredentialFileBytes = 1024 * 1024;

    [GeneratedRegex(@"serviceAccounts/(?<email>[^/:]+):generateAccessToken")]
    private static partial Regex ImpersonatedEmail();

    /// <summary>The credential to use.</summary>
    /// <exception cref="CredentialException">None found, or the one found is unusable.</exception>
    public static async Task<ResolvedCredential> ResolveAsync(CliContext context, CancellationToken cancellationToken)
    {
        if (context.Variable(CredentialsVariable) is { } explicitPath)
        {
            var path = Path.GetFullPath(explicitPath, context.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new CredentialException(DiagnosticCodes.CredentialFileNotFound,
                    $"{CredentialsVariable} is set to '{explicitPath}', but no such file exists. Point it at a service account key or a workload identity federation configuration file, or unset it to use 'gcloud auth application-default login' credentials.");
            }

            return FromFile(path, $"{CredentialsVariable}={path}");
        }

        var tried = new List<string> { $"{CredentialsVariable} (not set)" };
        if (WellKnownFile(context) is { } wellKnown)
        {
            if (File.Exists(wellKnown))
            {
                return FromFile(wellKnown, $"gcloud application default credentials ({wellKnown})");
            }

            tried.Add($"{wellKnown} (not found)");
        }

        var host = MetadataHost(context);
        var metadata = new MetadataServer(host, context.Http);
        if (await metadata.IsAvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            var email = await metadata.TryGetDefaultServiceAccountAsync(cancellationToken).ConfigureAwait(false);
            var access = new ComputeCredential(new ComputeCredential.Initializer(metadata.TokenUrl));
            return new ResolvedCredential(CredentialTypes.MetadataServer, $"metadata server at {host}", email, metadata.TokenUrl, access);
        }

        tried.Add($"the metadata server at {host} (not reachable)");
        throw new CredentialException(DiagnosticCodes.NoCredentials,
            $"No Google credentials found. Tried: {string.Join("; ", tried)}. "
            + $"Run 'gcloud auth application-default login', or set {CredentialsVariable} to a service account key or workload identity federation file, or run on Google Cloud with a service account attached.");
    }

    /// <summary>gcloud's ADC file: $CLOUDSDK_CONFIG, %APPDATA%\gcloud on Windows, else ~/.config/gcloud.</summary>
    public static string? WellKnownFile(CliContext context)
    {
        if (context.Variable("CLOUDSDK_CONFIG") is { } configDirectory)
        {
            return Path.Combine(configDirectory, WellKnownFileName);
        }

        if (OperatingSystem.IsWindows())
        {
            return context.Variable("APPDATA") is { } appData ? Path.Combine(appData, "gcloud", WellKnownFileName) : null;
        }

        return context.Variable("HOME") is { } home ? Path.Combine(home, ".config", "gcloud", WellKnownFileName) : null;
    }

    /// <summary>The metadata server's host[:port]; GCE_METADATA_HOST overrides it, as in every Google library.</summary>
    public static string MetadataHost(CliContext context) => context.Variable(MetadataHostVariable) ?? "169.254.169.254";

    private static ResolvedCredential FromFile(string path, string source)
    {
        string json;
        JsonObject root;
        try
        {
            // Key and configuration files are a few KiB: a bound keeps a path such as /dev/zero from filling memory.
            var (bytes, complete) = BoundedBody.ReadFile(path, MaxCredentialFileBytes);
            json = complete ? System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF') : throw new JsonException($"it is larger than {MaxCredentialFileBytes / 1024} KiB");
            root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CredentialException(DiagnosticCodes.CredentialFileInvalid,
                $"The credential file from {source} could not be read as JSON ({e.Message}). Download the key or configuration again.", e);
        }

        var type = Text(root, "type");
        try
        {
            return type switch
            {
                CredentialTypes.ServiceAccount => ServiceAccount(json, root, source),
                CredentialTypes.AuthorizedUser => AuthorizedUser(root, source),
                CredentialTypes.ExternalAccount => new ResolvedCredential(type, source, FederatedIdentity(root), Text(root, "token_url"),
                    CredentialFactory.FromJson(json, type).CreateScoped(CloudPlatformScope)),
                CredentialTypes.ImpersonatedServiceAccount or CredentialTypes.ExternalAccountAuthorizedUser => new ResolvedCredential(type, source,
                    FederatedIdentity(root), Text(root, "token_url") ?? Text(root, "service_account_impersonation_url"),
                    CredentialFactory.FromJson(json, type).CreateScoped(CloudPlatformScope)),
                null => throw new CredentialException(DiagnosticCodes.CredentialFileInvalid,
                    $"The credential file from {source} has no \"type\". Expected a service account key (\"type\": \"service_account\"), gcloud's authorized_user file or an external_account configuration."),
                _ => throw new CredentialException(DiagnosticCodes.UnsupportedCredentialType,
                    $"The credential file from {source} has type '{type}', which is not supported. Use a service account key, 'gcloud auth application-default login' (authorized_user) or a workload identity federation configuration (external_account)."),
            };
        }
        catch (InvalidOperationException e)
        {
            throw new CredentialException(DiagnosticCodes.CredentialFileInvalid,
                $"The {type} credential file from {source} is incomplete or invalid: {e.Message} Download the key or configuration again.", e);
        }
        catch (Exception e) when (e is not CredentialException)
        {
            // The library reports unreadable keys with whatever its decoder throws (NotSupportedException, FormatException, ...).
            throw new CredentialException(DiagnosticCodes.CredentialFileInvalid,
                $"The {type} credential file from {source} holds an unreadable key: {e.Message} Download the key again.", e);
        }
    }

    private static ResolvedCredential ServiceAccount(string json, JsonObject root, string source)
    {
        RequireFields(root, source, CredentialTypes.ServiceAccount, "client_email", "private_key");
        var credential = CredentialFactory.FromJson<ServiceAccountCredential>(json).ToGoogleCredential().CreateScoped(CloudPlatformScope);
        return new ResolvedCredential(CredentialTypes.ServiceAccount, source, Text(root, "client_email"),
            Text(root, "token_uri") ?? GoogleAuthConsts.OidcTokenUrl, credential);
    }

    // Built here rather than by CredentialFactory: the library ignores token_uri for user credentials,
    // and honouring it (as google-auth for Python does) is what lets the token endpoint be a test server.
    private static ResolvedCredential AuthorizedUser(JsonObject root, string source)
    {
        RequireFields(root, source, CredentialTypes.AuthorizedUser, "client_id", "client_secret", "refresh_token");
        var tokenUri = Text(root, "token_uri") ?? GoogleAuthConsts.OidcTokenUrl;
        var flow = new AuthorizationCodeFlow(new AuthorizationCodeFlow.Initializer(GoogleAuthConsts.OidcAuthorizationUrl, tokenUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = Text(root, "client_id"), ClientSecret = Text(root, "client_secret") },
        });
        var credential = new UserCredential(flow, "application-default", new TokenResponse { RefreshToken = Text(root, "refresh_token") });
        var identity = Text(root, "account") is { Length: > 0 } account ? account : $"user of OAuth client {Text(root, "client_id")}";
        return new ResolvedCredential(CredentialTypes.AuthorizedUser, source, identity, tokenUri, credential);
    }

    private static string? FederatedIdentity(JsonObject root)
    {
        if (Text(root, "service_account_impersonation_url") is { } url && ImpersonatedEmail().Match(url) is { Success: true } match)
        {
            return match.Groups["email"].Value;
        }

        return Text(root, "audience") is { } audience ? $"federated principal of {audience}" : null;
    }

    private static void RequireFields(JsonObject root, string source, string type, params string[] fields)
    {
        var missing = fields.Where(f => string.IsNullOrEmpty(Text(root, f))).ToList();
        if (missing.Count > 0)
        {
            throw new CredentialException(DiagnosticCodes.CredentialFileInvalid,
                $"The {type} credential file from {source} lacks {string.Join(", ", missing.Select(m => $"\"{m}\""))}. Download the key or run 'gcloud auth application-default login' again.");
        }
    }

    private static string? Text(JsonObject root, string name) =>
        root[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
