namespace VertexTraining.Core.Output;

/// <summary>A plain, column-aligned table for terminals and logs (no box drawing, no colour).</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>How many rows were added.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row; null cells print empty.</summary>
    public void Add(params string?[] cells) => _rows.Add(cells.Select(c => c ?? "").ToArray());

    /// <summary>Writes the header and the rows, columns two spaces apart; the last column is not padded and no line ends in spaces.</summary>
    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        Write(writer, headers, widths);
        foreach (var row in _rows)
        {
            Write(writer, row, widths);
        }
    }

    private static void Write(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
