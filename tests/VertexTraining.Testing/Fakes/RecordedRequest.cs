namespace VertexTraining.Testing.Fakes;

/// <summary>One request the fake received, as sent: tests assert exact methods, paths, headers and bodies.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The path with its query, URL-decoded, e.g. <c>/v1/projects/p/locations/l/customJobs?filter=...</c>.</summary>
    public string PathAndQuery => Path + Uri.UnescapeDataString(Query);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>What a fault does to the request it matches.</summary>
public enum FaultKind
{
    /// <summary>Answer with an error status and a Google error body (optionally with RetryInfo).</summary>
    Status,

    /// <summary>Handle the request (e.g. create the job), then drop the connection without answering.</summary>
    ResetAfterHandling,

    /// <summary>Handle the request, then wait before answering.</summary>
    Slow,

    /// <summary>Answer 200 with a body that is not JSON.</summary>
    MalformedJson,

    /// <summary>Answer <see cref="Fault.Status"/> with valid JSON of about <see cref="Fault.Size"/> bytes (a job, or a Google error).</summary>
    HugeBody,
}

/// <summary>A fault injected into the next <see cref="Times"/> requests that match.</summary>
public sealed class Fault
{
    public required Func<RecordedRequest, bool> Matches { get; init; }

    public required FaultKind Kind { get; init; }

    public int Status { get; init; } = 503;

    public string? StatusName { get; init; }

    public string Message { get; init; } = "The service is currently unavailable.";

    public TimeSpan? RetryDelay { get; init; }

    public TimeSpan Delay { get; init; }

    public int Times { get; set; } = 1;

    /// <summary>The body size of <see cref="FaultKind.HugeBody"/>.</summary>
    public int Size { get; init; }
}
