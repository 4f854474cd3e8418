using System.Runtime.InteropServices;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Lays each planned layer out as a folder the SDK can turn into one layer (its PublishDirectory).
/// Files are hard links to the publish folder, so staging hundreds of megabytes costs no copy;
/// where a link cannot be made (another volume, a file system without links) the file is copied.
/// </summary>
internal static class LayerStager
{
    /// <summary>
    /// Replaces <paramref name="directory"/> with the files of <paramref name="layer"/>; returns how many had to be copied.
    /// A folder staged from the same content (the stamp beside it holds the content hash) is kept as it is:
    /// relinking the ~200 files of an unchanged runtime layer on every publish is time for nothing.
    /// </summary>
    public static int Stage(PlannedLayer layer, string directory)
    {
        var stamp = directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".staged";
        if (Directory.Exists(directory) && File.Exists(stamp) && File.ReadAllText(stamp) == layer.ContentHash)
        {
            return 0;
        }

        if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var copied = 0;
        foreach (var file in layer.Files)
        {
            var target = Path.Combine(directory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!TryHardLink(file.FullPath, target))
            {
                File.Copy(file.FullPath, target);
                copied++;
            }
        }

        foreach (var empty in layer.Directories)
        {
            Directory.CreateDirectory(Path.Combine(directory, empty));
        }

        File.WriteAllText(stamp, layer.ContentHash);
        return copied;
    }

    private static bool TryHardLink(string existing, string link)
    {
        try
        {
            return OperatingSystem.IsWindows()
                ? CreateHardLinkW(link, existing, IntPtr.Zero)
                : UnixLink(existing, link) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int UnixLink([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);

    [DllImport("kernel32.dll", EntryPoint = "CreateHardLinkW", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string link, string existing, IntPtr securityAttributes);
}
