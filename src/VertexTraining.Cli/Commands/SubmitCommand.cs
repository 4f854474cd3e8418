using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex submit</c>. With a project (or none, for the one in the current directory) it runs
/// <c>dotnet publish -t:SubmitTraining</c>, the same MSBuild path as the target, so the properties are
/// mapped in exactly one place. With <c>--request FILE</c> it submits a saved job document: this is
/// also what the SubmitTraining target calls once the image is pushed.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var projectFile = new Argument<string?>("PROJECT")
        {
            Description = "The project (or folder) to build and submit; default: the one in the current directory.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var properties = new Option<string[]>("--property", "-p")
        {
            Description = "An MSBuild property, Name=Value (e.g. -p:VertexAcceleratorType=NVIDIA_L4). Repeatable.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write job-request.json (and the image archive) without pushing or submitting (-p:VertexDryRun=true)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the job to its end, streaming state and logs; the exit code comes from the final state." };
        var local = new Option<bool>("--local") { Description = "Run the job on this machine instead of Vertex AI (-p:VertexTarget=Local)." };
        var request = new Option<string?>("--request") { Description = "Submit this saved job document (job-request.json) instead of building a project." };
        var submissionFile = new Option<string?>("--submission-file") { Description = "With --request: where to write submission.json (resource name, console URL, state, image)." };
        var imageUri = new Option<string?>("--image-uri") { Description = "With --request: the image recorded in submission.json; default: the document's first pool's image." };
        var pollInterval = FollowOptionsFactory.PollInterval();
        var options = new CloudOptions();
        var command = new Command("submit", "Build, push and submit the training job of a project (dotnet publish -t:SubmitTraining), or submit a saved job document with --request.")
        {
            projectFile, properties, dryRun, wait, local, request, submissionFile, imageUri, pollInterval,
        };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var interval = FollowOptionsFactory.PollIntervalSeconds(parse, pollInterval);
            if (parse.GetValue(request) is { } requestFile)
            {
                return await SubmitDocumentAsync(parse, context, options, requestFile, parse.GetValue(submissionFile), parse.GetValue(imageUri),
                    parse.GetValue(wait), interval, cancellationToken);
            }

            var msbuildProperties = new List<string>(parse.GetValue(properties) ?? []);
            AddIfSet(msbuildProperties, "VertexProject", parse.GetValue(options.Project));
            AddIfSet(msbuildProperties, "VertexRegion", parse.GetValue(options.Region));
            AddIfSet(msbuildProperties, "VertexApiEndpoint", parse.GetValue(options.ApiEndpoint));
            if (parse.GetValue(dryRun))
            {
                msbuildProperties.Add("VertexDryRun=true");
            }

            if (parse.GetValue(wait))
            {
                msbuildProperties.Add("VertexWait=true");
            }

            if (parse.GetValue(local))
            {
                msbuildProperties.Add("VertexTarget=Local");
            }

            return await PublishRunner.RunAsync(context, parse.GetValue(projectFile), msbuildProperties, parse.GetValue(options.Json), cancellationToken);
        });
        return command;
    }

    private static void AddIfSet(List<string> properties, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            properties.Add($"{name}={value}");
        }
    }

    private static async Task<int> SubmitDocumentAsync(ParseResult parse, CliContext context, CloudOptions options, string requestFile,
        string? submissionFile, string? imageUri, bool wait, double pollInterval, CancellationToken cancellationToken)
    {
        var document = ReadDocument(Path.GetFullPath(requestFile, context.WorkingDirectory));
        var (project, region) = await JobLocator.ProjectAndRegionAsync(context, parse, options, cancellationToken);
        var json = parse.GetValue(options.Json);
        var progress = json ? context.Err : context.Out;
        var session = await CloudSession.CreateAsync(context, region, parse.GetValue(options.ApiEndpoint), parse.GetValue(CommonOptions.Verbose), cancellationToken);

        // Not cancellable by Ctrl-C half-way: an abandoned create is exactly the ambiguity the label exists for,
        // so it is finished (or adopted) and recorded before the interrupt is honoured.
        var submitter = new JobSubmitter(session.Jobs, parse.GetValue(CommonOptions.Verbose) ? line => context.Err.WriteLine($"  [submit] {line}") : null);
        var result = await submitter.SubmitAsync(project, region, document, submissionId: null, CancellationToken.None);
        var record = SubmissionRecord.For(result.Job, result.SubmissionId, imageUri ?? FirstImage(document), project, region, result.Adopted);
        Save(record, submissionFile, context.WorkingDirectory);

        if (result.Adopted)
        {
            progress.WriteLine($"VertexTraining: the create call failed after reaching the service; adopted the job it created (label {JobSubmitter.SubmissionLabelKey}={result.SubmissionId})");
        }

        progress.WriteLine($"VertexTraining: submitted {record.Name}");
        progress.WriteLine($"VertexTraining: console {record.ConsoleUrl}");
        if (!wait)
        {
            if (json)
            {
                context.Out.WriteLine(Formats.Json(record));
            }

            return ExitCodes.Success;
        }

        var final = await FollowRunner.FollowAsync(context, session, result.Job, task: null, progress, printStates: true, pollInterval, noLogs: false, cancellationToken);
        if (final is null)
        {
            return ExitCodes.Interrupted;
        }

        record.State = final.State;
        Save(record, submissionFile, context.WorkingDirectory);
        if (json)
        {
            context.Out.WriteLine(Formats.Json(record));
        }

        return FollowPrinter.Conclude(final, context.Err);
    }

    /// <summary>The largest job document read (10 MiB); real ones are a few KiB, and /dev/zero must not fill memory.</summary>
    public const int MaxRequestBytes = 10 * 1024 * 1024;

    internal static JsonObject ReadDocument(string path)
    {
        try
        {
            return JsonNode.Parse(ReadBounded(path)) as JsonObject
                ?? throw new VertexCloudException(DiagnosticCodes.InvalidRequestDocument, $"The job document {path} is not a JSON object.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidRequestDocument, $"The job document {path} could not be read: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidRequestDocument, $"The job document {path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string ReadBounded(string path)
    {
        var (bytes, complete) = BoundedBody.ReadFile(path, MaxRequestBytes);
        return complete ? System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF') : throw new VertexCloudException(DiagnosticCodes.InvalidRequestDocument,
            $"The job document {path} is larger than {MaxRequestBytes / (1024 * 1024)} MiB; a job-request.json is a few KiB. Pass the file the build wrote (obj/.../vertex/job-request.json).");
    }

    private static string? FirstImage(JsonObject document)
    {
        var spec = document["jobSpec"] ?? document["trialJobSpec"];
        return spec?["workerPoolSpecs"] is JsonArray pools
            ? pools.Select(p => p?["containerSpec"]?["imageUri"]).OfType<JsonValue>().Select(v => v.GetValue<string>()).FirstOrDefault()
            : null;
    }

    private static void Save(SubmissionRecord record, string? submissionFile, string workingDirectory)
    {
        if (submissionFile is null)
        {
            return;
        }

        try
        {
            record.WriteAtomically(Path.GetFullPath(submissionFile, workingDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VertexCloudException(DiagnosticCodes.SubmissionFileWriteFailed,
                $"The job {record.Name} was submitted, but {submissionFile} could not be written: {e.Message}", e);
        }
    }
}
