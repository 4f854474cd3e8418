using VertexTraining.Testing.Fakes;
using VertexTraining.Cli.Tests.Support;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Tests;

/// <summary>Each credential kind gets a token from the fake endpoints; broken ones fail with VTX3xxx naming the source.</summary>
public sealed class AuthTests
{
    [Fact]
    public async Task Service_account_key_gets_a_token_with_a_jwt_assertion_the_server_verifies()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("auth", "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Credential type: service_account", result.StdOut);
        Assert.Contains($"Identity:        {TestCredentials.ServiceAccountEmail}", result.StdOut);
        Assert.Contains("Access token:    obtained", result.StdOut);
        var tokenRequest = Assert.Single(cli.Server.Requests, r => r.Path == "/token");
        Assert.Equal("POST", tokenRequest.Method);
        Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", tokenRequest.Body);
        Assert.Equal($"service_account:{TestCredentials.ServiceAccountEmail}", Assert.Single(cli.Server.OAuth.IssuedTokens).Value);
    }

    [Fact]
    public async Task Service_account_key_whose_signature_the_server_rejects_is_VTX3005_naming_the_file()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        var keyFile = TestCredentials.ServiceAccount(cli.Server, cli.Temp, registeredKey: TestCredentials.OtherKey.Value);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = keyFile;

        var result = await cli.RunAsync("auth", "check");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.TokenRequestFailed}:", result.StdErr);
        Assert.Contains($"GOOGLE_APPLICATION_CREDENTIALS={keyFile}", result.StdErr);
        Assert.Contains("Invalid JWT Signature", result.StdErr);
        Assert.Contains("Access token:    NOT obtained", result.StdOut);
        Assert.Empty(cli.Server.OAuth.IssuedTokens);
    }

    [Fact]
    public async Task Authorized_user_from_gclouds_well_known_file_refreshes_at_its_token_uri()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        var file = TestCredentials.AuthorizedUser(cli.Server, cli.Temp, Path.Combine("gcloud", "application_default_credentials.json"));

        var result = await cli.RunAsync("auth", "check", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = CliHarness.Parse(result.StdOut);
        Assert.Equal("authorized_user", json["type"]!.GetValue<string>());
        Assert.Equal($"gcloud application default credentials ({file})", json["source"]!.GetValue<string>());
        Assert.Equal(TestCredentials.UserAccount, json["identity"]!.GetValue<string>());
        Assert.True(json["tokenObtained"]!.GetValue<bool>());
        var tokenRequest = Assert.Single(cli.Server.Requests, r => r.Path == "/token");
        Assert.Contains("grant_type=refresh_token", tokenRequest.Body);
    }

    [Fact]
    public async Task Revoked_authorized_user_is_VTX3005_telling_to_log_in_again()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        TestCredentials.AuthorizedUser(cli.Server, cli.Temp, Path.Combine("gcloud", "application_default_credentials.json"), registered: false);

        var result = await cli.RunAsync("auth", "print-access-token");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Equal("", result.StdOut);
        Assert.Contains($"error {DiagnosticCodes.TokenRequestFailed}:", result.StdErr);
        Assert.Contains("gcloud application default credentials", result.StdErr);
        Assert.Contains("gcloud auth application-default login", result.StdErr);
    }

    [Fact]
    public async Task External_account_exchanges_its_subject_token_at_the_sts_token_url()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = TestCredentials.ExternalAccount(cli.Server, cli.Temp);

        var result = await cli.RunAsync("auth", "print-access-token");

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = result.StdOut.Trim();
        Assert.Equal($"external_account:{TestCredentials.Audience}", cli.Server.OAuth.IssuedTokens[token]);
        Assert.Equal(result.StdOut, token + Environment.NewLine);
        var exchange = Assert.Single(cli.Server.Requests, r => r.Path == "/sts/v1/token");
        Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange", exchange.Body);
    }

    [Fact]
    public async Task External_account_with_an_unknown_subject_is_VTX3005()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = TestCredentials.ExternalAccount(cli.Server, cli.Temp, registered: false);

        var result = await cli.RunAsync("auth", "check");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.TokenRequestFailed}: The external_account credential from GOOGLE_APPLICATION_CREDENTIALS=", result.StdErr);
        Assert.Contains("workload identity pool provider", result.StdErr);
    }

    [Fact]
    public async Task Metadata_server_named_by_GCE_METADATA_HOST_gives_token_and_identity()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Server.OAuth.MetadataServiceAccount = TestCredentials.MetadataAccount;
        cli.Environment["GCE_METADATA_HOST"] = cli.Server.HostAndPort;

        var result = await cli.RunAsync("auth", "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Credential type: metadata_server", result.StdOut);
        Assert.Contains($"Identity:        {TestCredentials.MetadataAccount}", result.StdOut);
        var tokenRequest = Assert.Single(cli.Server.Requests, r => r.Path.EndsWith("/service-accounts/default/token", StringComparison.Ordinal));
        Assert.Equal("Google", tokenRequest.Header("Metadata-Flavor"));
    }

    [Fact]
    public async Task No_credentials_anywhere_is_VTX3001_listing_every_source_tried()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);

        var result = await cli.RunAsync("auth", "check");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.NoCredentials}: No Google credentials found.", result.StdErr);
        Assert.Contains("GOOGLE_APPLICATION_CREDENTIALS (not set)", result.StdErr);
        Assert.Contains(Path.Combine(cli.Environment["CLOUDSDK_CONFIG"]!, "application_default_credentials.json") + " (not found)", result.StdErr);
        Assert.Contains($"the metadata server at {cli.Environment["GCE_METADATA_HOST"]} (not reachable)", result.StdErr);
        Assert.Contains("gcloud auth application-default login", result.StdErr);
    }

    [Fact]
    public async Task Missing_key_file_is_VTX3002_naming_the_variable_and_path()
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = "/nonexistent/key.json";

        var result = await cli.RunAsync("auth", "print-access-token");

        Assert.Equal(ExitCodes.AuthFailed, result.ExitCode);
        Assert.Contains($"error {DiagnosticCodes.CredentialFileNotFound}: GOOGLE_APPLICATION_CREDENTIALS is set to '/nonexistent/key.json'", result.StdErr);
    }

    [Theory]
    [InlineData("{ not json", DiagnosticCodes.CredentialFileInvalid, "could not be read as JSON")]
    [InlineData("""{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com"}""", DiagnosticCodes.CredentialFileInvalid, "lacks \"private_key\"")]
    [InlineData("""{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"}""", DiagnosticCodes.CredentialFileInvalid, "service_account credential file")]
    [InlineData("""{"client_email":"a@b"}""", DiagnosticCodes.CredentialFileInvalid, "has no \"type\"")]
    [InlineData("""{"type":"gdch_service_account"}""", DiagnosticCodes.UnsupportedCredentialType, "type 'gdch_service_account', which is not supported")]
    public async Task Broken_credential_file_is_a_VTX3xxx_error_naming_the_source(string content, string code, string expected)
    {
        await using var cli = await CliHarness.StartAsync(serviceAccount: false);
        var file = cli.Temp.Write("broken.json", content);
        cli.Environment["GOOGLE_APPLICATION_CREDENTIALS"] = file;

        var result = await cli.RunAsync("auth", "check");

        Assert.True(result.ExitCode == ExitCodes.AuthFailed, result.ToString());
        Assert.Contains($"error {code}:", result.StdErr);
        Assert.Contains(expected, result.StdErr);
        Assert.Contains(file, result.StdErr);
        Assert.DoesNotContain(cli.Server.Requests, r => r.Path == "/token");
    }
}
