using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// <c>VertexNfsMount Include="MOUNTPOINT" Server="..." Path="/..."</c> items → every pool's nfsMounts: Vertex mounts
/// the share at <c>/mnt/nfs/MOUNTPOINT</c> in each replica (cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#nfsmount).
/// </summary>
internal static partial class NfsMountMapper
{
    // One folder name under /mnt/nfs/.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex MountPoint();

    public static List<NfsMount>? Read(JobInputs inputs, DiagnosticBag bag)
    {
        var mounts = new List<NfsMount>();
        foreach (var item in inputs.GetItems(VertexItem.NfsMount))
        {
            var subject = $"{VertexItem.NfsMount} '{item.Identity}'";
            var server = item.Get("Server");
            var path = item.Get("Path");
            if (!MountPoint().IsMatch(item.Identity))
            {
                bag.Error(DiagnosticCodes.InvalidNfsMount, subject, $"{subject}: the Include is the folder under /mnt/nfs/ to mount at, one name of letters, digits, '.', '_' or '-'.");
            }
            else if (string.IsNullOrWhiteSpace(server) || path is null || !path.StartsWith('/'))
            {
                bag.Error(DiagnosticCodes.InvalidNfsMount, subject, $"{subject} needs Server (the NFS server's IP address or host name) and Path (the export, starting with '/').");
            }
            else if (mounts.Any(m => m.MountPoint == item.Identity))
            {
                bag.Error(DiagnosticCodes.InvalidNfsMount, subject, $"{subject} is declared twice; each mount point takes one share.");
            }
            else
            {
                mounts.Add(new NfsMount { Server = server.Trim(), Path = path, MountPoint = item.Identity });
            }
        }

        return mounts.Count > 0 ? mounts : null;
    }
}
