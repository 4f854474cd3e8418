using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// <c>VertexLustreMount Include="MOUNTPOINT" InstanceIp="..." VolumeHandle="..." Filesystem="..."</c> items → every
/// pool's lustreMounts: Vertex mounts the Managed Lustre instance at <c>/mnt/lustre/MOUNTPOINT</c> in each replica
/// (cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#lustremount).
/// </summary>
internal static partial class LustreMountMapper
{
    // A Lustre file system name (fsname) is at most 8 characters (lustre.org, mkfs.lustre --fsname); Managed Lustre
    // takes lowercase letters and digits, a letter first.
    [GeneratedRegex(@"^[a-z][a-z0-9]{0,7}\z")]
    private static partial Regex FilesystemName();

    public static List<LustreMount>? Read(JobInputs inputs, DiagnosticBag bag)
    {
        var mounts = new List<LustreMount>();
        foreach (var item in inputs.GetItems(VertexItem.LustreMount))
        {
            var subject = $"{VertexItem.LustreMount} '{item.Identity}'";
            if (!MountPointName.CheckItem(item, subject, "/mnt/lustre/", mounts.Select(m => m.MountPoint), DiagnosticCodes.InvalidLustreMount, bag))
            {
                continue;
            }

            var ip = item.Get("InstanceIp")?.Trim();
            var volume = item.Get("VolumeHandle")?.Trim();
            var filesystem = item.Get("Filesystem")?.Trim();
            if (ip is null || !IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork || ip.Count(c => c == '.') != 3)
            {
                bag.Error(DiagnosticCodes.InvalidLustreMount, subject,
                    $"{subject} InstanceIp is '{ip}'; it must be the Lustre instance's IPv4 address, such as 10.90.0.4.");
            }
            else if (string.IsNullOrEmpty(volume) || volume.Any(char.IsWhiteSpace))
            {
                bag.Error(DiagnosticCodes.InvalidLustreMount, subject,
                    $"{subject} needs VolumeHandle, the instance's volume handle (one word, as the Managed Lustre instance shows it).");
            }
            else if (filesystem is null || !FilesystemName().IsMatch(filesystem))
            {
                bag.Error(DiagnosticCodes.InvalidLustreMount, subject,
                    $"{subject} Filesystem is '{filesystem}'; it must be the instance's file system name: 1-8 lowercase letters or digits, a letter first.");
            }
            else
            {
                mounts.Add(new LustreMount { InstanceIp = ip, VolumeHandle = volume, Filesystem = filesystem, MountPoint = item.Identity });
            }
        }

        return mounts.Count > 0 ? mounts : null;
    }
}
