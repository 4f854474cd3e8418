using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VertexTraining.Runtime;

/// <summary>
/// The process-wide stop request: SIGTERM (Spot preemption, VM maintenance, a cancelled job, the local runner's
/// rehearsal) or Ctrl-C. Handlers are installed on first use only, so an app that never asks keeps .NET's
/// default handling (SIGTERM ends the process at once).
/// </summary>
internal static class StopSignal
{
    private static readonly object Gate = new();
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static long _requestedAt; // Stopwatch timestamp; 0 while no stop was requested
    private static int _interrupts;

    /// <summary>Cancelled when a stop is requested; installs the signal handlers on first use.</summary>
    public static CancellationToken Token
    {
        get
        {
            EnsureInstalled();
            return Source.Token;
        }
    }

    /// <summary>How long ago the stop was requested; null while none was.</summary>
    public static TimeSpan? Elapsed
    {
        get
        {
            var at = Interlocked.Read(ref _requestedAt);
            return at == 0 ? null : Stopwatch.GetElapsedTime(at);
        }
    }

    /// <summary>Requests the stop, as a signal does (also used by tests).</summary>
    public static void Request()
    {
        Interlocked.CompareExchange(ref _requestedAt, Stopwatch.GetTimestamp(), 0);
        try
        {
            Source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback the app registered threw; the stop is requested all the same.
        }
    }

    private static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (Registrations.Count > 0 || OperatingSystem.IsBrowser() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
            {
                return;
            }

            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                // Without this .NET ends the process as soon as the handler returns, before the app could save.
                context.Cancel = true;
                Request();
            }));
            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                // The first Ctrl-C asks the app to stop; a second one ends it the default way.
                context.Cancel = Interlocked.Increment(ref _interrupts) == 1;
                Request();
            }));
        }
    }
}
