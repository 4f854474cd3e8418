using System.Text.RegularExpressions;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// The segments that go into a Google API URL or request path (project, region, job id, task name),
/// checked against their grammars wherever they come from: a job name, an option, a project file.
/// </summary>
/// <remarks>
/// The region becomes part of the host (<c>https://{region}-aiplatform.googleapis.com</c>) and the
/// others become path segments, while every request carries the bearer token. A <c>#</c>, <c>/</c>,
/// <c>?</c>, <c>:</c> or <c>..</c> in any of them could move the request, and the token, to another host
/// or path, so nothing reaches a URL that has not passed these checks.
/// </remarks>
public static partial class CloudNameSegments
{
    // Project numbers, as the service writes them in resource names.
    [GeneratedRegex(@"^[0-9]{1,20}$")]
    private static partial Regex ProjectNumber();

    // Vertex job ids are numbers; letters, '_' and '-' are let through for ids the service may use later.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex JobIdPattern();

    // Cloud Logging task names: workerpool0-0, workerpool1-3 ...
    [GeneratedRegex(@"^workerpool[0-9]-[0-9]{1,5}$")]
    private static partial Regex TaskNamePattern();

    /// <summary>A project id (Resource Manager rules) or a project number.</summary>
    public static bool IsProject(string? value) =>
        value is not null && (ResourceFormats.ProjectId().IsMatch(value) || ProjectNumber().IsMatch(value));

    /// <summary>A region such as us-central1 (the rule VertexRegion is checked with).</summary>
    public static bool IsRegion(string? value) => value is not null && ResourceFormats.Region().IsMatch(value);

    /// <summary>A job id: letters, digits, '_' and '-', so never '.', '/', ':' or '%'.</summary>
    public static bool IsJobId(string? value) => value is not null && JobIdPattern().IsMatch(value);

    /// <summary>A Vertex task name as Cloud Logging labels it, e.g. workerpool0-0.</summary>
    public static bool IsTaskName(string? value) => value is not null && TaskNamePattern().IsMatch(value);

    /// <summary>Returns <paramref name="value"/> when it is a project id or number.</summary>
    /// <exception cref="VertexCloudException">VTX1003, naming <paramref name="source"/>.</exception>
    public static string Project(string value, string source) => IsProject(value)
        ? value
        : throw new VertexCloudException(DiagnosticCodes.InvalidProject,
            $"{source} is '{value}'; a project is an id of 6-30 lowercase letters, digits or hyphens starting with a letter (e.g. my-project), or a project number.");

    /// <summary>Returns <paramref name="value"/> when it is a region.</summary>
    /// <exception cref="VertexCloudException">VTX1004, naming <paramref name="source"/>.</exception>
    public static string Region(string value, string source) => IsRegion(value)
        ? value
        : throw new VertexCloudException(DiagnosticCodes.InvalidRegion,
            $"{source} is '{value}'; expected a Vertex AI region such as us-central1, europe-west4 or asia-northeast1.");

    /// <summary>Returns <paramref name="value"/> when it is a job id.</summary>
    /// <exception cref="VertexCloudException">VTX4010, naming <paramref name="source"/>.</exception>
    public static string JobId(string value, string source) => IsJobId(value)
        ? value
        : throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
            $"{source} is '{value}'; a job id is letters, digits, '_' or '-' (Vertex AI ids are numbers such as 1234567890123456789).");

    /// <summary>Returns <paramref name="value"/> when it is a task name.</summary>
    /// <exception cref="VertexCloudException">VTX4010, naming <paramref name="source"/>.</exception>
    public static string TaskName(string value, string source) => IsTaskName(value)
        ? value
        : throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
            $"{source} is '{value}'; a task is named workerpool<pool>-<replica>, e.g. workerpool0-0 for the primary replica.");
}
