using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace VertexTraining.Core.Cloud;

/// <summary>The two kinds of training job this tool submits.</summary>
public enum JobKind
{
    /// <summary>A CustomJob (<c>customJobs</c>).</summary>
    CustomJob,

    /// <summary>A HyperparameterTuningJob (<c>hyperparameterTuningJobs</c>).</summary>
    HyperparameterTuningJob,
}

/// <summary>Names and collections of <see cref="JobKind"/>.</summary>
public static class JobKinds
{
    /// <summary>The REST collection, e.g. <c>customJobs</c>.</summary>
    public static string Collection(this JobKind kind) => kind == JobKind.CustomJob ? "customJobs" : "hyperparameterTuningJobs";

    /// <summary>The JSON key holding a list response's items, which matches the collection.</summary>
    public static string ListKey(this JobKind kind) => kind.Collection();

    /// <summary>Reads a collection name back.</summary>
    public static JobKind FromCollection(string collection) => collection switch
    {
        "customJobs" => JobKind.CustomJob,
        "hyperparameterTuningJobs" => JobKind.HyperparameterTuningJob,
        _ => throw new ArgumentOutOfRangeException(nameof(collection), collection, "Not a training job collection."),
    };
}

/// <summary>A job's resource name: <c>projects/{project}/locations/{location}/{customJobs|hyperparameterTuningJobs}/{id}</c>.</summary>
/// <remarks>
/// Every segment is checked on construction (<see cref="CloudNameSegments"/>): a name is turned into a
/// URL that carries the access token, so a name that exists is a name that is safe to request.
/// </remarks>
public sealed partial record JobName
{
    [GeneratedRegex(@"^projects/(?<p>[^/]*)/locations/(?<l>[^/]*)/(?<c>customJobs|hyperparameterTuningJobs)/(?<id>.*)$")]
    private static partial Regex Shape();

    /// <summary>Creates a name from its segments.</summary>
    /// <param name="project">Project id or number (the service answers with the number).</param>
    /// <param name="location">The region.</param>
    /// <param name="kind">Which collection.</param>
    /// <param name="id">The job id, the last segment.</param>
    /// <exception cref="VertexCloudException">A segment breaks its grammar (VTX1003, VTX1004, VTX4010).</exception>
    public JobName(string project, string location, JobKind kind, string id)
    {
        Project = CloudNameSegments.Project(project, "The job's project");
        Location = CloudNameSegments.Region(location, "The job's region");
        Kind = kind;
        Id = CloudNameSegments.JobId(id, "The job id");
    }

    /// <summary>Project id or number.</summary>
    public string Project { get; }

    /// <summary>The region.</summary>
    public string Location { get; }

    /// <summary>Which collection.</summary>
    public JobKind Kind { get; }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>Whether the text has a resource name's shape (<c>projects/.../locations/.../customJobs/...</c>), valid or not.</summary>
    public static bool LooksLikeName(string? text) => Shape().IsMatch(text?.Trim() ?? "");

    /// <summary>Parses a full resource name whose segments are all valid.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JobName? name)
    {
        name = null;
        var match = Shape().Match(text?.Trim() ?? "");
        if (!match.Success || !CloudNameSegments.IsProject(match.Groups["p"].Value) || !CloudNameSegments.IsRegion(match.Groups["l"].Value)
            || !CloudNameSegments.IsJobId(match.Groups["id"].Value))
        {
            return false;
        }

        name = new JobName(match.Groups["p"].Value, match.Groups["l"].Value, JobKinds.FromCollection(match.Groups["c"].Value), match.Groups["id"].Value);
        return true;
    }

    /// <summary>Parses a full resource name, saying which segment is wrong when one is.</summary>
    /// <exception cref="VertexCloudException">Not a resource name, or a segment breaks its grammar.</exception>
    public static JobName Parse(string text)
    {
        var match = Shape().Match(text.Trim());
        if (!match.Success)
        {
            throw new VertexCloudException(Diagnostics.DiagnosticCodes.InvalidJobReference,
                $"'{text}' is not a job resource name: expected projects/PROJECT/locations/REGION/customJobs/ID or .../hyperparameterTuningJobs/ID.");
        }

        return new JobName(match.Groups["p"].Value, match.Groups["l"].Value, JobKinds.FromCollection(match.Groups["c"].Value), match.Groups["id"].Value);
    }

    /// <summary>The parent collection path, <c>projects/p/locations/l/customJobs</c>, from checked segments.</summary>
    /// <exception cref="VertexCloudException">The project or region breaks its grammar.</exception>
    public static string CollectionPath(string project, string location, JobKind kind) =>
        $"projects/{CloudNameSegments.Project(project, "The project")}/locations/{CloudNameSegments.Region(location, "The region")}/{kind.Collection()}";

    /// <summary>The full resource name.</summary>
    public override string ToString() => $"{CollectionPath(Project, Location, Kind)}/{Id}";
}
