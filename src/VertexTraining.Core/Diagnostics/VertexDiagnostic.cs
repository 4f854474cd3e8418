namespace VertexTraining.Core.Diagnostics;

/// <summary>A user-facing problem with its VTX code and the property or item it is about.</summary>
/// <param name="Code">VTX + 4 digits, one of <see cref="DiagnosticCodes"/>.</param>
/// <param name="Subject">The MSBuild property or item at fault (e.g. <c>VertexMachineType</c>).</param>
/// <param name="Message">What is wrong and what would be valid.</param>
/// <param name="IsWarning">Warnings do not stop the build.</param>
public sealed record VertexDiagnostic(string Code, string Subject, string Message, bool IsWarning = false)
{
    /// <summary>MSBuild's canonical format, so the CLI and the targets print the same line.</summary>
    public string ToCanonicalString(string origin = "VertexTraining") =>
        $"{origin} : {(IsWarning ? "warning" : "error")} {Code}: {Message}";

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Collects diagnostics while a configuration is read.</summary>
public sealed class DiagnosticBag
{
    private readonly List<VertexDiagnostic> _items = [];

    public IReadOnlyList<VertexDiagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => !d.IsWarning);

    public void Error(string code, string subject, string message) => _items.Add(new(code, subject, message));

    public void Warning(string code, string subject, string message) => _items.Add(new(code, subject, message, IsWarning: true));
}
