using System.Runtime.InteropServices;

namespace VertexTraining.Cli;

/// <summary>
/// Turns SIGINT (Ctrl-C), SIGTERM and SIGQUIT into one cancellation of the command's token, and keeps the
/// runtime from ending the process on them, so that a command always gets to finish its own way: a follower
/// says how to re-attach, and a local run stops its containers and processes before it exits.
/// </summary>
/// <remarks>
/// Replaces System.CommandLine's own termination handling, which ends the process after a timeout whatever the
/// command is still doing, and which threw InvalidOperationException ("a task ... had already completed") when a
/// second signal arrived during a container run's Ctrl-C (issue 12, item 7). Here every further signal is ignored:
/// the first one already started a stop that is bounded by its own grace periods.
/// </remarks>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalCancellation()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <summary>Cancelled on the first signal.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A signal while the process is leaving: nothing left to stop.
        }
    }
}
