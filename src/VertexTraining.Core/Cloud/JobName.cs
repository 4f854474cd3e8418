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
/// <param name="Project">Project id or number (the service answers with the number).</param>
/// <param name="Location">The region.</param>
/// <param name="Kind">Which collection.</param>
/// <param name="Id">The job id, the last segment.</param>
public sealed partial record JobName(string Project, string Location, JobKind Kind, string Id)
{
    [GeneratedRegex(@"^projects/(?<p>[^/\s]+)/locations/(?<l>[^/\s]+)/(?<c>customJobs|hyperparameterTuningJobs)/(?<id>[^/\s:]+)$")]
    private static partial Regex Pattern();

    /// <summary>Parses a full resource name.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JobName? name)
    {
        name = null;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            return false;
        }

        name = new JobName(match.Groups["p"].Value, match.Groups["l"].Value, JobKinds.FromCollection(match.Groups["c"].Value), match.Groups["id"].Value);
        return true;
    }

    /// <summary>The parent collection path, <c>projects/p/locations/l/customJobs</c>.</summary>
    public static string CollectionPath(string project, string location, JobKind kind) =>
        $"projects/{project}/locations/{location}/{kind.Collection()}";

    /// <summary>The full resource name.</summary>
    public override string ToString() => $"{CollectionPath(Project, Location, Kind)}/{Id}";
}
