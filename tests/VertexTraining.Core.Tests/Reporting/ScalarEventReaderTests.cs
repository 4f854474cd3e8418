using System.Buffers.Binary;
using System.Text;
using VertexTraining.Core.Reporting;
using VertexTraining.Runtime;

namespace VertexTraining.Core.Tests.Reporting;

/// <summary>The report's reader of event files: what a killed writer or a damaged file leaves is read up to the damage.</summary>
public sealed class ScalarEventReaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vertex-core-tests", Guid.NewGuid().ToString("N"));

    public ScalarEventReaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Event { step = 2 (varint); summary = 5 { value = 1 { tag = 1; simple_value = 2 (fixed32) } } }, by hand.
    private static byte[] ScalarEvent(string tag, float value, byte step)
    {
        var tagBytes = Encoding.UTF8.GetBytes(tag);
        var summaryValue = new List<byte> { 0x0A, (byte)tagBytes.Length };
        summaryValue.AddRange(tagBytes);
        summaryValue.Add(0x15);
        summaryValue.AddRange(BitConverter.GetBytes(value));
        var summary = new List<byte> { 0x0A, (byte)summaryValue.Count };
        summary.AddRange(summaryValue);
        var message = new List<byte> { 0x10, step, 0x2A, (byte)summary.Count };
        message.AddRange(summary);
        return [.. message];
    }

    private static byte[] Record(byte[] data)
    {
        var record = new byte[16 + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.Masked(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return record;
    }

    [Fact]
    public void Points_before_a_torn_or_damaged_record_are_kept_and_files_are_read_in_name_order()
    {
        var first = Record(ScalarEvent("loss", 0.5f, 1));
        var second = Record(ScalarEvent("loss", 0.25f, 2));
        File.WriteAllBytes(Path.Combine(_folder, "events.out.tfevents.1.a"), [.. first, .. second[..^3]]);

        var damaged = Record(ScalarEvent("acc", 0.75f, 3));
        damaged[14] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(_folder, "events.out.tfevents.2.b"), [.. Record(ScalarEvent("acc", 0.5f, 1)), .. damaged, .. second]);
        File.WriteAllBytes(Path.Combine(_folder, "not-an-event-file"), first);

        Assert.Equal(
            [new ScalarPoint("loss", 1, 0.5), new ScalarPoint("acc", 1, 0.5)],
            ScalarEventReader.ReadDirectory(_folder));
    }

    [Fact]
    public void A_missing_folder_has_no_points() =>
        Assert.Empty(ScalarEventReader.ReadDirectory(Path.Combine(_folder, "missing")));
}
