using System.Buffers.Binary;
using System.Text;

namespace VertexTraining.Testing.TensorBoard;

/// <summary>One decoded <c>tensorflow.Event</c>: the fields TensorBoard's scalar view uses.</summary>
public sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>
/// A reader of TensorBoard event files written for the tests from the published formats only, sharing no code with
/// the writer: TFRecord (tensorflow/core/lib/io/record_writer.cc: uint64 length, uint32 masked crc32c of the length,
/// data, uint32 masked crc32c of the data, all little-endian) and the protobuf wire format of event.proto
/// (wall_time = 1 double, step = 2 int64, file_version = 3 string, summary = 5) and summary.proto
/// (Summary.value = 1, Value.tag = 1, Value.simple_value = 2 float).
/// </summary>
public static class EventFileDecoder
{
    /// <summary>Decodes every complete record; a CRC mismatch fails, a torn last record (a killed writer) ends the file.</summary>
    public static List<DecodedEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<DecodedEvent>();
        var at = 0;
        while (bytes.Length - at >= 12)
        {
            var lengthBytes = bytes.AsSpan(at, 8);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            var lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4));
            if (lengthCrc != MaskedCrc(lengthBytes))
            {
                throw new InvalidDataException($"length CRC mismatch at offset {at}");
            }

            if ((ulong)(bytes.Length - at - 12) < length + 4)
            {
                break;
            }

            var data = bytes.AsSpan(at + 12, (int)length);
            var dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4));
            if (dataCrc != MaskedCrc(data))
            {
                throw new InvalidDataException($"data CRC mismatch at offset {at}");
            }

            events.Add(DecodeEvent(data.ToArray()));
            at += 12 + (int)length + 4;
        }

        return events;
    }

    /// <summary>CRC-32C bit by bit (RFC 3720 appendix B.4 polynomial, reflected), masked as TFRecord does.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }

    private static DecodedEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        var scalars = new List<(string, float)>();
        foreach (var (field, wire, payload, number) in Fields(data))
        {
            switch (field, wire)
            {
                case (1, 1): wallTime = BitConverter.Int64BitsToDouble((long)number); break;
                case (2, 0): step = (long)number; break;
                case (3, 2): version = Encoding.UTF8.GetString(payload); break;
                case (5, 2):
                    foreach (var value in Fields(payload).Where(f => f.Field == 1))
                    {
                        string? tag = null;
                        float? simple = null;
                        foreach (var inner in Fields(value.Payload))
                        {
                            if (inner.Field == 1 && inner.Wire == 2) tag = Encoding.UTF8.GetString(inner.Payload);
                            if (inner.Field == 2 && inner.Wire == 5) simple = BitConverter.Int32BitsToSingle((int)inner.Number);
                        }

                        scalars.Add((tag ?? throw new InvalidDataException("Summary.Value without tag"),
                            simple ?? throw new InvalidDataException("Summary.Value without simple_value")));
                    }

                    break;
            }
        }

        return new DecodedEvent(wallTime, step, version, scalars);
    }

    // Protobuf wire format: key = field << 3 | wire type; 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
    private static IEnumerable<(int Field, int Wire, byte[] Payload, ulong Number)> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: yield return (field, wire, [], Varint(message, ref at)); break;
                case 1: yield return (field, wire, [], BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at, 8))); at += 8; break;
                case 5: yield return (field, wire, [], BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at, 4))); at += 4; break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    yield return (field, wire, message[at..(at + length)], 0);
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
