using System.Globalization;

namespace VertexTraining.Core.Local;

/// <summary>
/// Ties a tool run to the build that started it: when that process is gone (killed with SIGKILL, which leaves no
/// chance to stop its children), the run is cancelled, so a local job never runs on unwatched (issue 12, item 8).
/// The build's tasks set <see cref="Variable"/> to their own process id for every CLI they start.
/// </summary>
public static class ParentProcessWatch
{
    /// <summary>The environment variable naming the process whose end cancels the run.</summary>
    public const string Variable = "VERTEX_STOP_WITH_PID";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Completes when the process named by <paramref name="value"/> (a <see cref="Variable"/> value) has ended; never when
    /// the value is missing or unusable, or off Linux (where /proc, which tells a process from a reused id, is absent).
    /// </summary>
    public static async Task WaitForExitAsync(string? value, CancellationToken cancellationToken)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1 || StartTime(pid) is not { } started)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The start time tells the same process from a new one that was given the same id.
        while (StartTime(pid) == started)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot. The command name (field 2) is in
    // parentheses and may hold spaces, so fields are counted after its closing parenthesis.
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && fields[0] != "Z" ? fields[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
