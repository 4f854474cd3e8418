namespace VertexTraining.Core.Local.Search;

/// <summary>
/// Turns assignments into points for the Gaussian process: a numeric parameter is one coordinate (its position in
/// [0, 1] under its scale), a categorical parameter one coordinate per category (one-hot). A conditional parameter
/// that is inactive sits at -1, outside the unit interval, so the kernel sees "absent" as far from every value.
/// </summary>
internal sealed class SpaceEncoder
{
    private const double Inactive = -1;

    private readonly SearchSpace _space;
    private readonly int[] _offsets;

    public SpaceEncoder(SearchSpace space)
    {
        _space = space;
        _offsets = new int[space.Parameters.Count];
        var offset = 0;
        for (var i = 0; i < space.Parameters.Count; i++)
        {
            _offsets[i] = offset;
            offset += space.Parameters[i].IsNumeric ? 1 : space.Parameters[i].Categories.Count;
        }

        Dimensions = offset;
    }

    public int Dimensions { get; }

    public double[] Encode(ParameterAssignment assignment)
    {
        var point = new double[Dimensions];
        for (var i = 0; i < _space.Parameters.Count; i++)
        {
            var parameter = _space.Parameters[i];
            var active = assignment.TryGet(parameter.Id, out var value);
            if (parameter.IsNumeric)
            {
                point[_offsets[i]] = active ? parameter.ToUnit(value.Number) : Inactive;
            }
            else if (active)
            {
                var category = Math.Max(0, IndexOf(parameter.Categories, value.Category!));
                point[_offsets[i] + category] = 1;
            }
        }

        return point;
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
