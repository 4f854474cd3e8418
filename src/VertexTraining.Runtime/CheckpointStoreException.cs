namespace VertexTraining.Runtime;

/// <summary>The checkpoint folder cannot be written (or a save was refused); the message names the folder and where it came from.</summary>
public sealed class CheckpointStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">The checkpoint folder at fault.</param>
    /// <param name="message">The message; it names the folder.</param>
    /// <param name="innerException">The file system error, if any.</param>
    public CheckpointStoreException(string directory, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Directory = directory;
    }

    /// <summary>The checkpoint folder at fault.</summary>
    public string Directory { get; }
}
