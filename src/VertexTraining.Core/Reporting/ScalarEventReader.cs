using System.Buffers.Binary;
using System.Text;
using VertexTraining.Runtime;

namespace VertexTraining.Core.Reporting;

/// <summary>One scalar point of a TensorBoard event file.</summary>
/// <param name="Tag">The curve.</param>
/// <param name="Step">The x coordinate.</param>
/// <param name="Value">The value (TensorBoard keeps 32-bit floats).</param>
public sealed record ScalarPoint(string Tag, long Step, double Value);

/// <summary>
/// Reads the scalars of TensorBoard event files (<c>*tfevents*</c>) in a log directory: TFRecord framing with
/// masked CRC-32C, <c>tensorflow.Event</c> with <c>Summary.Value.simple_value</c>, as TensorBoardLog writes them.
/// </summary>
/// <remarks>
/// A record whose CRC does not match, or a torn last record of a killed writer, ends that file: what came before
/// is kept, as TensorBoard does.
/// </remarks>
public static class ScalarEventReader
{
    /// <summary>Every scalar point of every event file under <paramref name="directory"/>, file by file in name order.</summary>
    public static IReadOnlyList<ScalarPoint> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*tfevents*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(ReadFile)];
    }

    /// <summary>The scalar points of one event file.</summary>
    public static IReadOnlyList<ScalarPoint> ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var points = new List<ScalarPoint>();
        var at = 0;
        while (bytes.Length - at >= 12)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at, 8));
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)) != Crc32C.Masked(bytes.AsSpan(at, 8))
                || length > (ulong)(bytes.Length - at - 16))
            {
                break;
            }

            var data = bytes.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)) != Crc32C.Masked(data))
            {
                break;
            }

            try
            {
                AddScalars(data, points);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or FormatException)
            {
                // Not an Event this reader understands (another plugin's data): skip the record.
            }

            at += 12 + (int)length + 4;
        }

        return points;
    }

    // Event { int64 step = 2; Summary summary = 5 }, Summary { repeated Value value = 1 },
    // Value { string tag = 1; float simple_value = 2 }.
    private static void AddScalars(ReadOnlySpan<byte> eventBytes, List<ScalarPoint> points)
    {
        long step = 0;
        var values = new List<(string Tag, float Value)>();
        foreach (var field in ProtoFields.Of(eventBytes.ToArray()))
        {
            if (field.Number == 2 && field.WireType == 0)
            {
                step = (long)field.Scalar;
            }
            else if (field.Number == 5 && field.WireType == 2)
            {
                foreach (var value in ProtoFields.Of(field.Bytes).Where(f => f.Number == 1 && f.WireType == 2))
                {
                    string? tag = null;
                    float? simple = null;
                    foreach (var inner in ProtoFields.Of(value.Bytes))
                    {
                        if (inner.Number == 1 && inner.WireType == 2)
                        {
                            tag = Encoding.UTF8.GetString(inner.Bytes);
                        }
                        else if (inner.Number == 2 && inner.WireType == 5)
                        {
                            simple = BitConverter.Int32BitsToSingle((int)inner.Scalar);
                        }
                    }

                    if (tag is not null && simple is { } v)
                    {
                        values.Add((tag, v));
                    }
                }
            }
        }

        points.AddRange(values.Select(v => new ScalarPoint(v.Tag, step, v.Value)));
    }

    // A protobuf field: varint and fixed values in Scalar, length-delimited ones in Bytes.
    private readonly record struct ProtoField(int Number, int WireType, ulong Scalar, byte[] Bytes);

    private static class ProtoFields
    {
        public static IEnumerable<ProtoField> Of(byte[] message)
        {
            var at = 0;
            while (at < message.Length)
            {
                var key = Varint(message, ref at);
                var (number, wire) = ((int)(key >> 3), (int)(key & 7));
                switch (wire)
                {
                    case 0:
                        yield return new ProtoField(number, wire, Varint(message, ref at), []);
                        break;
                    case 1:
                        yield return new ProtoField(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at, 8)), []);
                        at += 8;
                        break;
                    case 2:
                        var length = checked((int)Varint(message, ref at));
                        yield return new ProtoField(number, wire, 0, message.AsSpan(at, length).ToArray());
                        at += length;
                        break;
                    case 5:
                        yield return new ProtoField(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at, 4)), []);
                        at += 4;
                        break;
                    default:
                        throw new FormatException($"protobuf wire type {wire}");
                }
            }
        }

        private static ulong Varint(byte[] bytes, ref int at)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = bytes[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("varint longer than 10 bytes");
        }
    }
}
