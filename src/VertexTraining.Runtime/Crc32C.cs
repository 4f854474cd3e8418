namespace VertexTraining.Runtime;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table driven, and the TFRecord mask over it.
/// </summary>
/// <remarks>
/// System.IO.Hashing 8.0 (already referenced for XXH128) has CRC-32 and CRC-64 but not CRC-32C, and the Runtime
/// stays light, so the 256-entry table is computed here once.
/// </remarks>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    // The constant TensorFlow's crc32c::Mask adds, so that a CRC stored next to the data it covers is not
    // mistaken for a CRC of a string that contains embedded CRCs.
    private const uint MaskDelta = 0xA282EAD8;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    /// <summary>The masked CRC that TFRecord stores: rotate right by 15 bits, then add a constant.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
