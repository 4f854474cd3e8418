using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// <c>VertexNfsMount Include="MOUNTPOINT" Server="..." Path="/..."</c> items → every pool's nfsMounts: Vertex mounts
/// the share at <c>/mnt/nfs/MOUNTPOINT</c> in each replica (cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#nfsmount).
/// </summary>
internal static class NfsMountMapper
{
    public static List<NfsMount>? Read(JobInputs inputs, DiagnosticBag bag)
    {
        var mounts = new List<NfsMount>();
        foreach (var item in inputs.GetItems(VertexItem.NfsMount))
        {
            var subject = $"{VertexItem.NfsMount} '{item.Identity}'";
            var server = item.Get("Server");
            var path = item.Get("Path");
            if (!MountPointName.CheckItem(item, subject, "/mnt/nfs/", mounts.Select(m => m.MountPoint), DiagnosticCodes.InvalidNfsMount, bag))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(server) || path is null || !path.StartsWith('/'))
            {
                bag.Error(DiagnosticCodes.InvalidNfsMount, subject, $"{subject} needs Server (the NFS server's IP address or host name) and Path (the export, starting with '/').");
            }
            else
            {
                mounts.Add(new NfsMount { Server = server.Trim(), Path = path, MountPoint = item.Identity });
            }
        }

        return mounts.Count > 0 ? mounts : null;
    }
}
