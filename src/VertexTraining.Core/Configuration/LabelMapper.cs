using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>Maps <c>VertexLabel</c> items to the job's labels, with Google's label rules checked.</summary>
internal static class LabelMapper
{
    // Vertex allows 64 labels; keep room for the ones VertexTraining adds itself.
    private const int MaxUserLabels = 60;

    public static SortedDictionary<string, string>? Map(JobInputs inputs, DiagnosticBag bag)
    {
        var items = inputs.GetItems(VertexItem.Label);
        if (items.Count == 0)
        {
            return null;
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var subject = $"{VertexItem.Label} '{item.Identity}'";
            item.Metadata.TryGetValue("Value", out var value);
            value ??= "";
            if (!ResourceFormats.LabelKey().IsMatch(item.Identity))
            {
                bag.Error(DiagnosticCodes.InvalidLabelKey, subject,
                    $"{subject}: label keys are 1-64 characters of lowercase letters, digits, '_' and '-', starting with a lowercase letter.");
            }
            else if (!ResourceFormats.LabelValue().IsMatch(value))
            {
                bag.Error(DiagnosticCodes.InvalidLabelValue, subject,
                    $"{subject} has Value '{value}'; label values are at most 64 characters of lowercase letters, digits, '_' and '-'.");
            }
            else if (!labels.TryAdd(item.Identity, value))
            {
                bag.Error(DiagnosticCodes.DuplicateLabel, subject, $"{subject} is declared twice; declare each label once.");
            }
        }

        if (items.Count > MaxUserLabels)
        {
            bag.Error(DiagnosticCodes.TooManyLabels, VertexItem.Label,
                $"{items.Count} {VertexItem.Label} items are declared; at most {MaxUserLabels} are allowed (Vertex takes 64 and VertexTraining reserves 4).");
        }

        return labels;
    }
}
