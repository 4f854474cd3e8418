using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VertexTraining.Testing.Fakes;

/// <summary>
/// The token side of Google, on loopback: the OAuth token endpoint (JWT bearer assertions from service
/// account keys, verified with the key's public half; refresh tokens of authorized users), the STS token
/// exchange of workload identity federation, and the metadata server's token and email.
/// </summary>
public sealed class FakeOAuth
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly ConcurrentDictionary<string, (RSA Key, string? KeyId)> _serviceAccounts = new();
    private readonly ConcurrentDictionary<string, (string Secret, string RefreshToken, string Identity)> _users = new();
    private readonly ConcurrentDictionary<string, string> _federation = new();
    private readonly ConcurrentDictionary<string, string> _issued = new();
    private readonly ConcurrentDictionary<string, bool> _revoked = new();
    private int _revokeNext;

    /// <summary>The token endpoint's URL.</summary>
    public string TokenUrl { get; set; } = "";

    // Google accepts its token URLs as the assertion's audience (whatever URL the assertion was posted to).
    private string?[] AcceptedAudiences => ["https://oauth2.googleapis.com/token", "https://accounts.google.com/o/oauth2/token", TokenUrl];

    /// <summary>The service account the metadata server serves, or null for "none attached".</summary>
    public string? MetadataServiceAccount { get; set; }

    /// <summary>
    /// When set, every token issued is this value: end-to-end tests make it the password of the
    /// htpasswd registry, which stands in for Artifact Registry accepting the ADC token.
    /// </summary>
    public string? NextToken { get; set; }

    /// <summary>Every access token handed out, with the grant that got it (service_account:EMAIL, ...).</summary>
    public IReadOnlyDictionary<string, string> IssuedTokens => _issued;

    public void AddServiceAccount(string email, RSA publicKey, string? keyId) => _serviceAccounts[email] = (publicKey, keyId);

    public void AddUser(string clientId, string clientSecret, string refreshToken, string identity) => _users[clientId] = (clientSecret, refreshToken, identity);

    public void AddFederatedSubject(string audience, string subjectToken) => _federation[audience] = subjectToken;

    public bool IsValid(string token) => _issued.ContainsKey(token) && !_revoked.ContainsKey(token);

    /// <summary>The next <paramref name="count"/> tokens issued are refused by the API (401) though not yet expired: revoked early.</summary>
    public void RevokeNextIssued(int count) => Interlocked.Exchange(ref _revokeNext, count);

    /// <summary>The lifetime (expires_in) of the tokens the token endpoint issues.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>A valid token for tests that call the API directly.</summary>
    public string IssueTestToken() => NewToken("test");

    internal async Task HandleTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        switch (grant)
        {
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                var (subject, error) = VerifyAssertion(form["assertion"].ToString());
                if (subject is null)
                {
                    await OAuthError(context, "invalid_grant", error!);
                    return;
                }

                await Issue(context, $"service_account:{subject}");
                return;
            case "refresh_token":
                var clientId = form["client_id"].ToString();
                if (!_users.TryGetValue(clientId, out var user) || user.Secret != form["client_secret"] || user.RefreshToken != form["refresh_token"])
                {
                    await OAuthError(context, "invalid_grant", "Token has been expired or revoked.");
                    return;
                }

                await Issue(context, $"authorized_user:{user.Identity}");
                return;
            default:
                await OAuthError(context, "unsupported_grant_type", $"Invalid grant_type: {grant}");
                return;
        }
    }

    internal async Task HandleStsAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var audience = form["audience"].ToString();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:token-exchange"
            || form["requested_token_type"] != "urn:ietf:params:oauth:token-type:access_token"
            || !_federation.TryGetValue(audience, out var expected)
            || expected != form["subject_token"])
        {
            await OAuthError(context, "invalid_grant", "The audience or subject token is invalid.");
            return;
        }

        if (!form["scope"].ToString().Split(' ').Contains(CloudPlatformScope))
        {
            await OAuthError(context, "invalid_scope", "The cloud-platform scope was not requested.");
            return;
        }

        var token = NewToken($"external_account:{audience}");
        await WriteJson(context, 200, new JsonObject
        {
            ["access_token"] = token,
            ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
        });
    }

    internal async Task HandleMetadataAsync(HttpContext context)
    {
        if (context.Request.Headers["Metadata-Flavor"] != "Google")
        {
            context.Response.StatusCode = 403;
            return;
        }

        context.Response.Headers["Metadata-Flavor"] = "Google";
        var path = context.Request.Path.Value!;
        if (MetadataServiceAccount is null && path.Contains("/service-accounts/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (path.EndsWith("/service-accounts/default/token", StringComparison.Ordinal))
        {
            await WriteJson(context, 200, new JsonObject
            {
                ["access_token"] = NewToken($"metadata_server:{MetadataServiceAccount}"),
                ["expires_in"] = 3599,
                ["token_type"] = "Bearer",
            });
        }
        else if (path.EndsWith("/service-accounts/default/email", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/text";
            await context.Response.WriteAsync(MetadataServiceAccount!);
        }
        else if (path is "/computeMetadata/v1/" or "/computeMetadata/v1" or "/")
        {
            context.Response.ContentType = "application/text";
            await context.Response.WriteAsync("instance/\nproject/\n");
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private (string? Subject, string? Error) VerifyAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return (null, "The assertion is not a JWT.");
        }

        JsonObject header, payload;
        try
        {
            header = (JsonObject)JsonNode.Parse(Base64Url(parts[0]))!;
            payload = (JsonObject)JsonNode.Parse(Base64Url(parts[1]))!;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException)
        {
            return (null, "The assertion is not a JWT.");
        }

        var issuer = payload["iss"]?.GetValue<string>() ?? "";
        if (header["alg"]?.GetValue<string>() != "RS256" || !_serviceAccounts.TryGetValue(issuer, out var account))
        {
            return (null, "Invalid JWT: unknown issuer or algorithm.");
        }

        if (account.KeyId is not null && header["kid"]?.GetValue<string>() != account.KeyId)
        {
            return (null, "Invalid JWT: the key id does not match.");
        }

        var signature = Base64UrlBytes(parts[2]);
        if (!account.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return (null, "Invalid JWT Signature.");
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var issuedAt = payload["iat"]?.GetValue<long>() ?? 0;
        var expires = payload["exp"]?.GetValue<long>() ?? 0;
        if (!AcceptedAudiences.Contains(payload["aud"]?.GetValue<string>()) || expires < now || issuedAt > now + 300 || expires - issuedAt > 3600)
        {
            return (null, $"Invalid JWT: audience or lifetime is wrong ({payload.ToJsonString()}).");
        }

        if (!(payload["scope"]?.GetValue<string>() ?? "").Split(' ').Contains(CloudPlatformScope))
        {
            return (null, "Invalid JWT: the cloud-platform scope is missing.");
        }

        return (issuer, null);
    }

    private async Task Issue(HttpContext context, string grant) => await WriteJson(context, 200, new JsonObject
    {
        ["access_token"] = NewToken(grant),
        ["expires_in"] = TokenLifetimeSeconds,
        ["token_type"] = "Bearer",
    });

    private string NewToken(string grant)
    {
        var token = NextToken ?? "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _issued[token] = grant;
        if (Interlocked.Decrement(ref _revokeNext) >= 0)
        {
            _revoked[token] = true;
        }
        else
        {
            Interlocked.Increment(ref _revokeNext);
        }

        return token;
    }

    private static Task OAuthError(HttpContext context, string error, string description) =>
        WriteJson(context, 400, new JsonObject { ["error"] = error, ["error_description"] = description });

    internal static async Task WriteJson(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static string Base64Url(string text) => Encoding.UTF8.GetString(Base64UrlBytes(text));

    private static byte[] Base64UrlBytes(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Convert.FromBase64String(padded);
    }
}
