using System.Text.RegularExpressions;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>The mountPoint of an NFS or Lustre share: one folder name under /mnt/nfs/ or /mnt/lustre/.</summary>
internal static partial class MountPointName
{
    /// <summary>What a mount point may be, for messages.</summary>
    public const string Rule = "one name of letters, digits, '.', '_' or '-'";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>
    /// Checks a share item's Include, its mount point under <paramref name="root"/>, and that no earlier item took it;
    /// a bad one is an error of <paramref name="code"/> naming the item.
    /// </summary>
    public static bool CheckItem(ConfigItem item, string subject, string root, IEnumerable<string?> taken, string code, DiagnosticBag bag)
    {
        if (!IsValid(item.Identity))
        {
            bag.Error(code, subject, $"{subject}: the Include is the folder under {root} to mount at, {Rule}.");
            return false;
        }

        if (taken.Contains(item.Identity, StringComparer.Ordinal))
        {
            bag.Error(code, subject, $"{subject} is declared twice; each mount point takes one share.");
            return false;
        }

        return true;
    }
}
