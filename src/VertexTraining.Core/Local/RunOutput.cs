using System.Text;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Serialises everything a run reports onto the caller's <see cref="ILocalRunOutput"/>, and keeps each task's
/// lines in its own log file (<c>logs/&lt;task&gt;.log</c>), flushed line by line so <c>logs --follow</c> sees them.
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly object _gate = new();
    private readonly ILocalRunOutput _output;
    private readonly RunFolder _folder;
    private readonly Dictionary<string, StreamWriter> _logs = new(StringComparer.Ordinal);
    private readonly List<Action<string, string>> _observers = [];

    public RunOutput(ILocalRunOutput output, RunFolder folder)
    {
        _output = output;
        _folder = folder;
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            _output.Info(message);
        }
    }

    /// <summary>
    /// A replica's comings and goings (started at an address, exited, stopping): shown with the replicas' own lines,
    /// so a study that does not stream them prints its trial events without them.
    /// </summary>
    public void ReplicaInfo(string message)
    {
        if (StreamTaskLines)
        {
            Info(message);
        }
    }

    public void Diagnostic(VertexDiagnostic diagnostic)
    {
        lock (_gate)
        {
            _output.Diagnostic(diagnostic);
        }
    }

    /// <summary>
    /// Whether task lines reach the caller's output as well as the logs. A tuning job's parallel trials would
    /// interleave their lines, so it shows trial events instead unless asked to stream (<c>--verbose</c>).
    /// </summary>
    public bool StreamTaskLines { get; init; } = true;

    /// <summary>Adds a reader of every task line (task, line), called in order with the output.</summary>
    public void Observe(Action<string, string> observer)
    {
        lock (_gate)
        {
            _observers.Add(observer);
        }
    }

    /// <summary>The line handler for a task's output.</summary>
    public Action<string, bool> LinesOf(string task)
    {
        lock (_gate)
        {
            if (!_logs.ContainsKey(task))
            {
                Directory.CreateDirectory(_folder.LogsDirectory);
                var stream = new FileStream(_folder.LogFile(task), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                _logs[task] = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            }
        }

        return (line, isError) =>
        {
            lock (_gate)
            {
                // A grandchild holding the pipe may write after the run ended and the logs were closed.
                if (_logs.TryGetValue(task, out var log))
                {
                    log.WriteLine(line);
                }

                if (StreamTaskLines)
                {
                    _output.TaskLine(task, line, isError);
                }

                foreach (var observer in _observers)
                {
                    observer(task, line);
                }
            }
        };
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var writer in _logs.Values)
            {
                writer.Dispose();
            }

            _logs.Clear();
        }
    }
}
