using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace VertexTraining.Core.Local;

/// <summary>
/// Names of jobs run on this machine: <c>local/&lt;id&gt;</c>, where the id is <c>yyyyMMdd-HHmmss-xxxx</c> (UTC time
/// and four random hex digits). The <c>local/</c> prefix keeps them apart from cloud resource names, so
/// <c>dotnet vertex status</c> can tell which store to ask.
/// </summary>
public static partial class LocalJobName
{
    /// <summary>The prefix of every local job name.</summary>
    public const string Prefix = "local/";

    // Ids end up in container names and file names, so only characters valid in both are allowed.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    /// <summary>A new id for a run started at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();

    /// <summary>The job name for an id: <c>local/&lt;id&gt;</c>.</summary>
    public static string ToName(string id) => Prefix + id;

    /// <summary>Whether <paramref name="job"/> names a local job (<c>local/...</c>).</summary>
    public static bool IsLocal(string? job) => job is not null && job.Trim().StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="id"/> is a well-formed local job id.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Reads <c>local/&lt;id&gt;</c> or a bare id.</summary>
    public static bool TryParse(string? job, [NotNullWhen(true)] out string? id)
    {
        var text = job?.Trim() ?? "";
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        id = IsValidId(text) ? text : null;
        return id is not null;
    }
}
