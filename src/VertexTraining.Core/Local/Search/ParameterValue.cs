using System.Globalization;
using System.Text.Json;

namespace VertexTraining.Core.Local.Search;

/// <summary>A hyperparameter value: a number (DOUBLE, INTEGER, DISCRETE) or a category (CATEGORICAL).</summary>
public readonly record struct ParameterValue
{
    private ParameterValue(double number, string? category)
    {
        Number = number;
        Category = category;
    }

    /// <summary>The number; meaningful when <see cref="IsCategory"/> is false.</summary>
    public double Number { get; }

    /// <summary>The category, or null for a number.</summary>
    public string? Category { get; }

    /// <summary>Whether this is a CATEGORICAL value.</summary>
    public bool IsCategory => Category is not null;

    /// <summary>A numeric value.</summary>
    public static ParameterValue Of(double number) => new(number, null);

    /// <summary>A categorical value.</summary>
    public static ParameterValue Of(string category) => new(0, category ?? throw new ArgumentNullException(nameof(category)));

    /// <summary>
    /// The text passed to the trial as <c>--id=text</c>: the category, or the number in its shortest round-trip
    /// form (integers without a decimal point).
    /// </summary>
    public override string ToString() => Category ?? Number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The google.protobuf.Value form used in Trial.parameters: a JSON number or string.</summary>
    public JsonElement ToJsonElement() =>
        IsCategory ? JsonSerializer.SerializeToElement(Category) : JsonSerializer.SerializeToElement(Number);
}
