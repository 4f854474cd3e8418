namespace VertexTraining.Runtime;

/// <summary>
/// TensorBoard scalars from anywhere in the training app, written as event files under
/// <c>AIP_TENSORBOARD_LOG_DIR</c>: what Vertex TensorBoard uploads when the job has <c>VertexTensorboard</c> set
/// (per trial for tuning jobs), and the run folder's <c>outputs/logs/</c> (<c>trials/&lt;id&gt;/outputs/logs/</c>) for
/// local runs. Values reported with <see cref="HyperTune.Report"/> are written here too.
/// </summary>
/// <example>
/// <code>
/// TensorBoardLog.Scalar("loss", loss, step: epoch);
/// </code>
/// </example>
public static class TensorBoardLog
{
    /// <summary>The variable Vertex (and the local runner) sets to the TensorBoard log directory.</summary>
    public const string LogDirVariable = TrainingEnvironment.TensorBoardLogDirVariable;

    private static readonly Lazy<TensorBoardEventWriter?> DefaultWriter = new(FromEnvironment);
    private static int _warnedUnset;

    /// <summary>
    /// The process-wide writer under <c>AIP_TENSORBOARD_LOG_DIR</c> (a <c>gs://</c> value is written through its
    /// <c>/gcs/</c> mount), or null when the variable is not set. It is synced and closed when the process exits.
    /// </summary>
    public static TensorBoardEventWriter? Default => DefaultWriter.Value;

    /// <summary>
    /// Writes one point of the curve <paramref name="tag"/>. Without <c>AIP_TENSORBOARD_LOG_DIR</c> (a Vertex job
    /// without <c>VertexBaseOutputDirectory</c>) nothing is written and one line on standard error says so.
    /// </summary>
    /// <param name="tag">The curve's name, e.g. <c>loss</c> or <c>train/accuracy</c>.</param>
    /// <param name="value">The value; TensorBoard stores it as a 32-bit float.</param>
    /// <param name="step">The x coordinate (epoch, batch, global step).</param>
    /// <exception cref="IOException">The log directory or the event file cannot be written.</exception>
    public static void Scalar(string tag, double value, long step)
    {
        if (Default is { } writer)
        {
            writer.Scalar(tag, value, step);
        }
        else if (Interlocked.Exchange(ref _warnedUnset, 1) == 0)
        {
            Console.Error.WriteLine($"TensorBoardLog: {LogDirVariable} is not set, so no event files are written (on Vertex, set VertexBaseOutputDirectory).");
        }
    }

    /// <summary>Syncs every point written so far to storage (also done every few seconds and at exit).</summary>
    public static void Flush() => Default?.Flush();

    private static TensorBoardEventWriter? FromEnvironment()
    {
        var directory = Environment.GetEnvironmentVariable(LogDirVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        var writer = new TensorBoardEventWriter(GcsPath.ToLocal(directory));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => writer.Dispose();
        return writer;
    }
}
