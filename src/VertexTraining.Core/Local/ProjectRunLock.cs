using System.Globalization;

namespace VertexTraining.Core.Local;

/// <summary>
/// One SubmitTraining at a time per project output folder. Two runs of one project at once publish
/// into the same obj/ and bin/ folders and break each other (MSB3030, an apphost deleted under the
/// other's feet); the second is refused with who holds the lock instead. The lock is an exclusive
/// open of <c>submit.lock</c> (flock on Linux), so a killed build releases it with its process; the
/// holder's pid and start time are written beside it, since the locked file cannot be read.
/// </summary>
public sealed class ProjectRunLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _ownerFile;
    private readonly string _lockFile;

    private ProjectRunLock(FileStream stream, string lockFile, string ownerFile)
    {
        _stream = stream;
        _lockFile = lockFile;
        _ownerFile = ownerFile;
    }

    /// <summary>Takes the lock in <paramref name="folder"/>, or returns null and who holds it.</summary>
    public static ProjectRunLock? TryAcquire(string folder, out string holder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "submit.lock");
        var ownerFile = path + ".owner";
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(ownerFile, string.Create(CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId}, since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss}"));
            holder = "";
            return new ProjectRunLock(stream, path, ownerFile);
        }
        catch (IOException)
        {
            holder = File.Exists(ownerFile) ? File.ReadAllText(ownerFile).Trim() : "another process";
            return null;
        }
    }

    /// <summary>Removes both files while still holding the lock (a run that starts meanwhile makes a new one), then releases it.</summary>
    public void Dispose()
    {
        foreach (var file in new[] { _ownerFile, _lockFile })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        _stream.Dispose();
    }
}
