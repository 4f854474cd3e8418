using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Turns the Runtime's "hyperparameters given but never read" line (printed at a trial's first
/// metric report) into one warning per study, naming the declared parameters the trainer ignores.
/// Without it, a study whose VertexHyperparameter is <c>lr</c> while the trainer reads
/// <c>learning_rate</c> runs every trial on the default and tunes nothing.
/// </summary>
internal sealed class UnreadHyperparameterWatch(IReadOnlyCollection<string> declared, Action<VertexDiagnostic> warn)
{
    /// <summary>VertexTraining.Runtime's HyperparameterReads.Prefix: the two must stay equal.</summary>
    public const string Prefix = "VertexTraining.Runtime: hyperparameters given but never read: ";

    private const string ReadMarker = " (read: ";
    private int _warned;

    public void Observe(string task, string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal) || Volatile.Read(ref _warned) != 0)
        {
            return;
        }

        var body = line[Prefix.Length..].TrimEnd();
        var readAt = body.IndexOf(ReadMarker, StringComparison.Ordinal);
        var unread = Names(readAt < 0 ? body : body[..readAt]);
        var read = readAt < 0 ? [] : Names(body[(readAt + ReadMarker.Length)..].TrimEnd(')'));
        var ignored = unread.Where(declared.Contains).ToList();
        if (ignored.Count == 0 || Interlocked.Exchange(ref _warned, 1) != 0)
        {
            return;
        }

        var list = string.Join(", ", ignored.Select(n => $"'{n}'"));
        warn(new VertexDiagnostic(DiagnosticCodes.LocalHyperparameterNeverRead, "VertexHyperparameter",
            $"{task} was given the tuned hyperparameter{(ignored.Count > 1 ? "s" : "")} {list} but never read {(ignored.Count > 1 ? "them" : "it")}" +
            (read.Count > 0 ? $" (it read {string.Join(", ", read.Select(n => $"'{n}'"))})" : "") +
            ", so every trial runs on the trainer's default and the study tunes nothing there. " +
            "Name the VertexHyperparameter as the trainer reads it, or read it with Hyperparameters.Get(\"" + ignored[0] + "\", ...).",
            IsWarning: true));
    }

    private static List<string> Names(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
