using System.Security.Cryptography;
using System.Text.Json.Nodes;
using VertexTraining.Testing.Fakes;

namespace VertexTraining.Testing;

/// <summary>Credential files of each kind, pointing at the fake's token endpoints, with their secrets registered there.</summary>
public static class TestCredentials
{
    public const string ServiceAccountEmail = "trainer@vertex-test-project.iam.gserviceaccount.com";
    public const string UserAccount = "dev@example.com";
    public const string Audience = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/providers/github";
    public const string MetadataAccount = "123456789012-compute@developer.gserviceaccount.com";

    // Generating RSA keys is slow on small machines; one key serves every test (each test has its own server).
    private static readonly Lazy<RSA> SharedKey = new(() => RSA.Create(2048));

    /// <summary>A second key, for "signed with a key the server does not know".</summary>
    public static readonly Lazy<RSA> OtherKey = new(() => RSA.Create(2048));

    /// <summary>A service account key file; the fake verifies JWTs with its public half. A different <paramref name="registeredKey"/> makes signatures fail.</summary>
    public static string ServiceAccount(FakeGoogleCloud server, TempDirectory directory, RSA? registeredKey = null)
    {
        var key = SharedKey.Value;
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo((registeredKey ?? key).ExportSubjectPublicKeyInfo(), out _);
        server.OAuth.AddServiceAccount(ServiceAccountEmail, publicKey, keyId);
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = FakeGoogleCloud.ProjectId,
            ["private_key_id"] = keyId,
            ["private_key"] = key.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = ServiceAccountEmail,
            ["client_id"] = "104857600000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = server.TokenUrl,
            ["universe_domain"] = "googleapis.com",
        };
        return directory.Write("sa-key.json", json.ToJsonString());
    }

    /// <summary>gcloud's ADC file for a user (authorized_user), with token_uri pointing at the fake.</summary>
    public static string AuthorizedUser(FakeGoogleCloud server, TempDirectory directory, string fileName = "adc-user.json", bool registered = true)
    {
        var clientId = "764086051850-fake.apps.googleusercontent.com";
        var refreshToken = "1//fake-refresh-" + Guid.NewGuid().ToString("N");
        if (registered)
        {
            server.OAuth.AddUser(clientId, "d-FL95Q19q7MQmFpd7hHD0Ty", refreshToken, UserAccount);
        }

        var json = new JsonObject
        {
            ["type"] = "authorized_user",
            ["client_id"] = clientId,
            ["client_secret"] = "d-FL95Q19q7MQmFpd7hHD0Ty",
            ["refresh_token"] = refreshToken,
            ["account"] = UserAccount,
            ["quota_project_id"] = FakeGoogleCloud.ProjectId,
            ["token_uri"] = server.TokenUrl,
        };
        return directory.Write(fileName, json.ToJsonString());
    }

    /// <summary>A workload identity federation configuration whose subject token is a file (as in CI).</summary>
    public static string ExternalAccount(FakeGoogleCloud server, TempDirectory directory, bool registered = true)
    {
        var subjectToken = "eyJhbGciOiJSUzI1NiJ9.ci-oidc-token-" + Guid.NewGuid().ToString("N");
        if (registered)
        {
            server.OAuth.AddFederatedSubject(Audience, subjectToken);
        }

        var tokenFile = directory.Write("oidc-token.txt", subjectToken);
        var json = new JsonObject
        {
            ["type"] = "external_account",
            ["audience"] = Audience,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = server.StsUrl,
            ["credential_source"] = new JsonObject { ["file"] = tokenFile },
            ["universe_domain"] = "googleapis.com",
        };
        return directory.Write("wif.json", json.ToJsonString());
    }
}
