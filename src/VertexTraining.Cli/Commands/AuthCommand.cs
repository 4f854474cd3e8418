using System.CommandLine;
using VertexTraining.Cli.Auth;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex auth check</c> and <c>dotnet vertex auth print-access-token</c>.</summary>
internal static class AuthCommand
{
    public static Command Create()
    {
        var command = new Command("auth", "Inspect the Application Default Credentials dotnet vertex uses.");
        command.Subcommands.Add(Check());
        command.Subcommands.Add(PrintAccessToken());
        return command;
    }

    private static Command Check()
    {
        var json = new Option<bool>("--json") { Description = "Write the result as JSON." };
        var command = new Command("check", "Show which credential is used (type, source, identity) and whether it can get an access token; says what to do when it cannot.") { json };
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            ResolvedCredential? credential = null;
            VertexCloudException? failure = null;
            try
            {
                credential = await ApplicationDefaultCredentials.ResolveAsync(context, cancellationToken);
                // The token is fetched to prove it can be, and then dropped: it is never printed here.
                _ = await new GoogleTokenSource(credential).GetAccessTokenAsync(cancellationToken);
            }
            catch (VertexCloudException e)
            {
                failure = e;
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Formats.Json(new
                {
                    type = credential?.Type,
                    source = credential?.Source,
                    identity = credential?.Identity,
                    tokenEndpoint = credential?.TokenEndpoint,
                    tokenObtained = failure is null,
                    error = failure is null ? null : new { code = failure.Code, message = failure.Message },
                }));
            }
            else if (credential is not null)
            {
                context.Out.WriteLine($"Credential type: {credential.Type}");
                context.Out.WriteLine($"Source:          {credential.Source}");
                context.Out.WriteLine($"Identity:        {credential.Identity ?? "(not recorded in the credential)"}");
                if (credential.TokenEndpoint is not null)
                {
                    context.Out.WriteLine($"Token endpoint:  {credential.TokenEndpoint}");
                }

                context.Out.WriteLine($"Access token:    {(failure is null ? "obtained" : "NOT obtained")}");
            }

            if (failure is not null)
            {
                context.Err.WriteLine(failure.ToDiagnostic().ToCanonicalString());
                return ExitCodes.ForDiagnostic(failure.Code);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command PrintAccessToken()
    {
        var command = new Command("print-access-token", "Print an access token (cloud-platform scope) and nothing else on stdout, e.g. for a registry login. Treat it as a secret.");
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var credential = await ApplicationDefaultCredentials.ResolveAsync(context, cancellationToken);
            var token = await new GoogleTokenSource(credential).GetAccessTokenAsync(cancellationToken);
            context.Out.WriteLine(token);
            return ExitCodes.Success;
        });
        return command;
    }
}
