using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace VertexTraining.Runtime;

/// <summary>
/// Writes one TensorBoard event file (<c>events.out.tfevents.*</c>) in a log directory: TFRecord framing (length,
/// masked CRC-32C of the length, data, masked CRC-32C of the data) around <c>tensorflow.Event</c> protos, the first
/// one carrying the file version <c>brain.Event:2</c>, the others one scalar each (<c>Summary.Value.simple_value</c>).
/// </summary>
/// <remarks>
/// Every point is handed to the operating system as soon as it is written, so a killed process loses nothing it
/// has written; the file is also synced to storage at most every <see cref="SyncInterval"/> and when disposed,
/// which is what makes Cloud Storage FUSE upload it, so a preempted VM loses at most the last few seconds.
/// The file is created on the first point. Thread-safe.
/// </remarks>
public sealed class TensorBoardEventWriter : IDisposable
{
    /// <summary>The default <see cref="SyncInterval"/>.</summary>
    public static readonly TimeSpan DefaultSyncInterval = TimeSpan.FromSeconds(5);

    private static int _fileCounter;

    private readonly object _gate = new();
    private readonly Func<double> _clock;
    private readonly Stopwatch _sinceSync = new();
    private FileStream? _file;
    private bool _disposed;

    /// <summary>Creates a writer whose event file will be created in <paramref name="logDirectory"/> (made if missing).</summary>
    /// <param name="logDirectory">The TensorBoard log directory, a local path (use <see cref="GcsPath.ToLocal"/> for <c>gs://</c>).</param>
    /// <param name="syncInterval">How often at most the file is synced to storage; default <see cref="DefaultSyncInterval"/>.</param>
    /// <param name="clock">Seconds since the Unix epoch for each event's <c>wall_time</c>; defaults to the system clock.</param>
    public TensorBoardEventWriter(string logDirectory, TimeSpan? syncInterval = null, Func<double>? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        LogDirectory = Path.GetFullPath(logDirectory);
        SyncInterval = syncInterval ?? DefaultSyncInterval;
        _clock = clock ?? UnixTimeSeconds;
    }

    /// <summary>The log directory.</summary>
    public string LogDirectory { get; }

    /// <summary>How often at most the file is synced to storage (every point reaches the operating system at once).</summary>
    public TimeSpan SyncInterval { get; }

    /// <summary>The event file, once the first point created it.</summary>
    public string? FilePath { get; private set; }

    /// <summary>Writes one scalar point: <paramref name="value"/> of <paramref name="tag"/> at <paramref name="step"/>.</summary>
    /// <param name="tag">The curve's name, e.g. <c>loss</c> or <c>train/accuracy</c>.</param>
    /// <param name="value">The value; TensorBoard stores it as a 32-bit float.</param>
    /// <param name="step">The x coordinate (epoch, batch, global step).</param>
    /// <exception cref="IOException">The log directory or the file cannot be written.</exception>
    public void Scalar(string tag, double value, long step)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var file = _file ?? Open();
            WriteRecord(file, TensorBoardEvent.Scalar(_clock(), step, tag, (float)value));
            file.Flush(flushToDisk: false);
            if (_sinceSync.Elapsed >= SyncInterval)
            {
                file.Flush(flushToDisk: true);
                _sinceSync.Restart();
            }
        }
    }

    /// <summary>Syncs every point written so far to storage.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _file?.Flush(flushToDisk: true);
            _sinceSync.Restart();
        }
    }

    /// <summary>Syncs and closes the file; later points throw.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_file is not null)
            {
                _file.Flush(flushToDisk: true);
                _file.Dispose();
                _file = null;
            }
        }
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(LogDirectory);

        // TensorBoard reads every file whose name contains "tfevents"; host, process and a counter keep replicas and
        // writers sharing one directory apart, as TensorFlow and PyTorch name theirs.
        var now = _clock();
        var name = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{(long)now:D10}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _fileCounter)}");
        var path = Path.Combine(LogDirectory, name);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        WriteRecord(file, TensorBoardEvent.Version(now));
        file.Flush(flushToDisk: true);
        _sinceSync.Restart();
        (_file, FilePath) = (file, path);
        return file;
    }

    private static void WriteRecord(Stream stream, byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));

        // One write per record, so a reader never sees a header without its data unless the process dies midway.
        var record = new byte[header.Length + data.Length + footer.Length];
        header.CopyTo(record);
        data.CopyTo(record.AsSpan(header.Length));
        footer.CopyTo(record.AsSpan(header.Length + data.Length));
        stream.Write(record);
    }

    private static double UnixTimeSeconds() =>
        (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
