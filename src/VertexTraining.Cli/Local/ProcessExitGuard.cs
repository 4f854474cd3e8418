namespace VertexTraining.Cli.Local;

/// <summary>
/// Holds the process open, when it is asked to exit, until <paramref name="work"/> completes (or a limit passes):
/// an interrupted local run must still stop its containers and processes before the tool goes away.
/// </summary>
internal sealed class ProcessExitGuard : IDisposable
{
    private readonly Task _work;
    private readonly TimeSpan _limit;

    public ProcessExitGuard(Task work, TimeSpan limit)
    {
        _work = work;
        _limit = limit;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public void Dispose() => AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            _work.Wait(_limit);
        }
        catch (AggregateException)
        {
            // The run's own error was reported (or will not be, as the process is leaving); nothing to add.
        }
    }
}
