using System.Net;
using System.Net.Sockets;

namespace VertexTraining.Core.Local;

/// <summary>Free TCP ports on 127.0.0.1: the replicas' CLUSTER_SPEC addresses, the build's loopback image registry.</summary>
public static class LoopbackPorts
{
    /// <summary>The host every local replica address uses: replicas share the host network.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>Whether an image reference or registry address (<c>host:port/...</c>) names a port on <see cref="Host"/>.</summary>
    public static bool IsOnHost(string reference) => reference.StartsWith(Host + ":", StringComparison.Ordinal);

    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago. All listeners stay open until
    /// every port is chosen, so the operating system cannot hand out the same port twice.
    /// </summary>
    public static IReadOnlyList<int> Allocate(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
