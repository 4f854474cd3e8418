namespace VertexTraining.Runtime;

/// <summary>
/// Says once, at the first metric report, which given hyperparameters the app never read. A study
/// that declares <c>lr</c> while the app reads <c>learning_rate</c> otherwise runs every trial on
/// the default and tunes nothing, silently. The line goes to stderr, where Vertex's logs and the
/// local runner (which turns it into a warning naming the declared parameter) both see it.
/// </summary>
internal static class HyperparameterReads
{
    /// <summary>The line's fixed start: the local runner recognises it (VertexTraining.Core's UnreadHyperparameterWatch).</summary>
    public const string Prefix = "VertexTraining.Runtime: hyperparameters given but never read: ";

    // Apps parse their command line once or twice; keeping the latest few bounds memory for one
    // that parses in a loop.
    private const int MaxTracked = 16;
    private static readonly Queue<Hyperparameters> Tracked = new();
    private static readonly object Gate = new();
    private static bool _reported;

    public static void Track(Hyperparameters hyperparameters)
    {
        lock (Gate)
        {
            if (Tracked.Count == MaxTracked)
            {
                Tracked.Dequeue();
            }

            Tracked.Enqueue(hyperparameters);
        }
    }

    /// <summary>The line to print, or null when every given name was read or the app reads its args otherwise.</summary>
    public static string? Describe()
    {
        Hyperparameters[] all;
        lock (Gate)
        {
            all = [.. Tracked];
        }

        var asked = all.SelectMany(h => h.Asked).ToHashSet(StringComparer.Ordinal);
        if (asked.Count == 0)
        {
            return null; // The app does not read its hyperparameters through this class: nothing can be said.
        }

        var unread = all.SelectMany(h => h.NeverRead).Distinct(StringComparer.Ordinal).Where(n => !asked.Contains(n)).ToList();
        return unread.Count == 0 ? null : $"{Prefix}{string.Join(", ", unread)} (read: {string.Join(", ", asked.Order(StringComparer.Ordinal))})";
    }

    /// <summary>Prints <see cref="Describe"/> once per process.</summary>
    public static void ReportOnce(TextWriter error)
    {
        lock (Gate)
        {
            if (_reported)
            {
                return;
            }

            _reported = true;
        }

        if (Describe() is { } line)
        {
            error.WriteLine(line);
            error.Flush();
        }
    }
}
