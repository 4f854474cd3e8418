namespace VertexTraining.Core.Local;

/// <summary>
/// Starts a child in a session of its own (util-linux's <c>setsid</c>, which execs in place), so that a terminal's
/// Ctrl-C, which signals the whole foreground process group, reaches the runner alone. The runner then stops its
/// containers in order. Without it, a second Ctrl-C killed the <c>podman stop</c> and <c>podman rm</c> the runner had
/// just started, and podman forgot containers whose processes ran on (issue 12, item 7).
/// </summary>
internal static class TerminalSignalShield
{
    private static readonly string? SetSid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>The file and arguments that run <paramref name="file"/> with <paramref name="arguments"/> in a new session, when setsid exists.</summary>
    public static (string File, IReadOnlyList<string> Arguments) Wrap(string file, IEnumerable<string> arguments) =>
        SetSid is null ? (file, [.. arguments]) : (SetSid, [file, .. arguments]);
}
