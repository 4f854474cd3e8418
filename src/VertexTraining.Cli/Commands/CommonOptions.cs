using System.CommandLine;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary>Traces each HTTP request (method, URL, status, timing) to stderr. Tokens are never traced.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print each API request and retry to stderr (access tokens are never printed); local-run: also stream every trial's output lines.",
        Recursive = true,
    };
}

/// <summary>The options of commands that talk to Vertex AI; a fresh set per command.</summary>
internal sealed class CloudOptions
{
    public Option<string?> Project { get; } = new("--project")
    {
        Description = "Google Cloud project id. Default: VertexProject of the project file in the current directory, else GOOGLE_CLOUD_PROJECT.",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "Vertex AI region. Default: VertexRegion of the project file in the current directory, else us-central1.",
    };

    public Option<string?> ApiEndpoint { get; } = new("--api-endpoint")
    {
        Description = "Vertex AI base URL (private endpoints, tests). Default: $VERTEX_API_ENDPOINT, else https://{region}-aiplatform.googleapis.com.",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write machine-readable JSON to stdout instead of text.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Project);
        command.Options.Add(Region);
        command.Options.Add(ApiEndpoint);
        command.Options.Add(Json);
    }
}

/// <summary>Options of commands that follow a job.</summary>
internal static class FollowOptionsFactory
{
    /// <summary>The shortest poll interval: faster would only burn the API's read quota (Cloud Logging allows about 60 reads a minute).</summary>
    public const double MinPollSeconds = 0.5;

    /// <summary>The longest poll interval: one hour.</summary>
    public const double MaxPollSeconds = 3600;

    public static Option<double> PollInterval() => new("--poll-interval")
    {
        Description = $"Seconds between polls while following a job, {MinPollSeconds:0.0} to {MaxPollSeconds:0} (a local job is re-read at least every 0.5 s).",
        DefaultValueFactory = _ => 10,
    };

    /// <summary>The --poll-interval given, checked: NaN, infinities, zero, negatives and values beyond an hour are VTX1017.</summary>
    public static double PollIntervalSeconds(ParseResult parse, Option<double> option)
    {
        var seconds = parse.GetValue(option);
        if (!double.IsFinite(seconds) || seconds < MinPollSeconds || seconds > MaxPollSeconds)
        {
            var given = parse.GetResult(option)?.Tokens.FirstOrDefault()?.Value ?? seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new VertexCloudException(DiagnosticCodes.InvalidPollInterval,
                $"--poll-interval '{given}' is not valid: give a number of seconds from {MinPollSeconds:0.0} to {MaxPollSeconds:0} (default 10).");
        }

        return seconds;
    }
}
