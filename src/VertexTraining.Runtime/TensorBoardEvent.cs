using System.Buffers.Binary;
using System.Text;

namespace VertexTraining.Runtime;

/// <summary>
/// The two kinds of <c>tensorflow.Event</c> protos an event file needs, encoded by hand (protobuf wire format):
/// the file version record, and a summary with one scalar.
/// </summary>
/// <remarks>
/// Field numbers from tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto:
/// Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; },
/// Summary { repeated Value value = 1; }, Summary.Value { string tag = 1; float simple_value = 2; }.
/// Google.Protobuf would be a dependency of every training app for five fields.
/// </remarks>
internal static class TensorBoardEvent
{
    /// <summary>The version TensorBoard expects in the first record of a file.</summary>
    public const string FileVersion = "brain.Event:2";

    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;
    private const int Varint = 0;

    public static byte[] Version(double wallTime)
    {
        var buffer = new List<byte>(32);
        WallTime(buffer, wallTime);
        Bytes(buffer, 3, Encoding.UTF8.GetBytes(FileVersion));
        return [.. buffer];
    }

    public static byte[] Scalar(double wallTime, long step, string tag, float value)
    {
        var summaryValue = new List<byte>(tag.Length + 8);
        Bytes(summaryValue, 1, Encoding.UTF8.GetBytes(tag));
        Key(summaryValue, 2, Fixed32);
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(four, value);
        summaryValue.AddRange(four.ToArray());

        var summary = new List<byte>(summaryValue.Count + 4);
        Bytes(summary, 1, [.. summaryValue]);

        var buffer = new List<byte>(summary.Count + 24);
        WallTime(buffer, wallTime);
        Key(buffer, 2, Varint);
        VarintValue(buffer, unchecked((ulong)step));
        Bytes(buffer, 5, [.. summary]);
        return [.. buffer];
    }

    private static void WallTime(List<byte> buffer, double wallTime)
    {
        Key(buffer, 1, Fixed64);
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(eight, wallTime);
        buffer.AddRange(eight.ToArray());
    }

    private static void Bytes(List<byte> buffer, int field, byte[] bytes)
    {
        Key(buffer, field, LengthDelimited);
        VarintValue(buffer, (ulong)bytes.Length);
        buffer.AddRange(bytes);
    }

    private static void Key(List<byte> buffer, int field, int wireType) => VarintValue(buffer, (ulong)((field << 3) | wireType));

    private static void VarintValue(List<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.Add((byte)value);
    }
}
