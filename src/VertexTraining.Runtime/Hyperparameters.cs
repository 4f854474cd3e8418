using System.Diagnostics.CodeAnalysis;

namespace VertexTraining.Runtime;

/// <summary>
/// The hyperparameters a training app was started with, read from its command line.
/// </summary>
/// <remarks>
/// <para>
/// Vertex AI passes each trial's values as flags named by the study's <c>parameterId</c>, appended after the
/// container's own arguments. Both <c>--learning_rate=0.1</c> and <c>--learning_rate 0.1</c> are accepted;
/// a flag followed by another flag or by nothing (<c>--verbose</c>) has the value <c>"true"</c>.
/// </para>
/// <para>
/// When a name is given more than once the last value wins (as with Python's argparse), so a trial's value
/// overrides a default placed earlier in <c>VertexArgs</c>. Names are matched exactly (ordinal, case-sensitive).
/// Everything that is not a <c>--name</c> flag or its value is kept in <see cref="Positional"/>, as is
/// everything after a bare <c>--</c>. Values are read with the invariant culture.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var hp = Hyperparameters.FromArgs(args);
/// double lr = hp.Get("learning_rate", 0.01);
/// int batchSize = hp.Get("batch_size", 32);       // "256.0" reads as 256
/// string optimizer = hp.GetRequired&lt;string&gt;("optimizer");
/// </code>
/// </example>
public sealed class Hyperparameters
{
    private const string FlagPrefix = "--";

    private readonly Dictionary<string, string> _values;
    private readonly IReadOnlyDictionary<string, string> _readOnlyValues;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _asked = new(StringComparer.Ordinal);
    private volatile bool _enumerated;

    private Hyperparameters(Dictionary<string, string> values, List<string> positional)
    {
        _values = values;
        _readOnlyValues = values.AsReadOnly();
        Positional = positional.AsReadOnly();
        HyperparameterReads.Track(this);
    }

    /// <summary>Every named value, by name (without the leading <c>--</c>).</summary>
    /// <remarks>Reading it counts as reading every value: which ones the app then uses cannot be known.</remarks>
    public IReadOnlyDictionary<string, string> Values
    {
        get
        {
            _enumerated = true;
            return _readOnlyValues;
        }
    }

    /// <summary>
    /// The names that were given but never asked for, in the order given. A tuned hyperparameter in
    /// this list leaves every trial on the app's default (e.g. the study declares <c>lr</c> and the
    /// app reads <c>learning_rate</c>); the first <see cref="HyperTune.Report"/> prints it.
    /// </summary>
    public IReadOnlyList<string> NeverRead => _enumerated ? [] : [.. _values.Keys.Where(k => !_asked.ContainsKey(k))];

    /// <summary>The names the app asked for, given or not.</summary>
    public IReadOnlyCollection<string> Asked => [.. _asked.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Arguments that are not <c>--name</c> flags or their values, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>The raw value of a hyperparameter, or <see langword="null"/> when it was not given.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    public string? this[string name] => _values.GetValueOrDefault(Ask(name));

    /// <summary>Parses a command line: <c>--name=value</c>, <c>--name value</c>, bare <c>--flag</c>, and positional arguments.</summary>
    /// <param name="args">The arguments passed to <c>Main</c> (without the program name).</param>
    public static Hyperparameters FromArgs(params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == FlagPrefix)
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }

            if (!IsFlag(arg))
            {
                positional.Add(arg);
                continue;
            }

            var body = arg[FlagPrefix.Length..];
            var equals = body.IndexOf('=');
            if (equals >= 0)
            {
                values[body[..equals]] = body[(equals + 1)..];
            }
            else if (i + 1 < args.Length && !IsFlag(args[i + 1]) && args[i + 1] != FlagPrefix)
            {
                values[body] = args[++i];
            }
            else
            {
                values[body] = "true";
            }
        }

        return new Hyperparameters(values, positional);
    }

    /// <summary>Parses this process's command line (<see cref="Environment.GetCommandLineArgs"/> without the program).</summary>
    public static Hyperparameters FromCommandLine() => FromArgs(Environment.GetCommandLineArgs()[1..]);

    /// <summary>Whether the hyperparameter was given.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    public bool Contains(string name) => _values.ContainsKey(Ask(name));

    /// <summary>Gets the raw value of a hyperparameter.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="value">The value, when it was given.</param>
    /// <returns>Whether the hyperparameter was given.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out string? value) => _values.TryGetValue(Ask(name), out value);

    /// <summary>Gets a hyperparameter as a double, or <paramref name="defaultValue"/> when it was not given.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    /// <exception cref="HyperparameterException">The value is not a number.</exception>
    public double Get(string name, double defaultValue) => Get<double>(name, defaultValue);

    /// <summary>
    /// Gets a hyperparameter as an int, or <paramref name="defaultValue"/> when it was not given.
    /// Whole numbers written as doubles (<c>256.0</c>, as Vertex sends DISCRETE values) are accepted.
    /// </summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    /// <exception cref="HyperparameterException">The value is not a whole number, or out of range.</exception>
    public int Get(string name, int defaultValue) => Get<int>(name, defaultValue);

    /// <summary>Gets a hyperparameter as a long, or <paramref name="defaultValue"/> when it was not given. <c>256.0</c> reads as 256.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    /// <exception cref="HyperparameterException">The value is not a whole number, or out of range.</exception>
    public long Get(string name, long defaultValue) => Get<long>(name, defaultValue);

    /// <summary>Gets a hyperparameter as a bool (<c>true/false</c>, <c>1/0</c>, <c>yes/no</c>, <c>on/off</c>), or <paramref name="defaultValue"/> when it was not given.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    /// <exception cref="HyperparameterException">The value is not a recognised boolean.</exception>
    public bool Get(string name, bool defaultValue) => Get<bool>(name, defaultValue);

    /// <summary>Gets a hyperparameter's raw value, or <paramref name="defaultValue"/> when it was not given.</summary>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    [return: NotNullIfNotNull(nameof(defaultValue))]
    public string? Get(string name, string? defaultValue) => _values.GetValueOrDefault(Ask(name), defaultValue!);

    /// <summary>
    /// Gets a hyperparameter as <typeparamref name="T"/>, or <paramref name="defaultValue"/> when it was not given.
    /// Supported: string, double, float, decimal, int, long, bool and enums (by name, ignoring case).
    /// </summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <param name="defaultValue">The value used when the hyperparameter was not given.</param>
    /// <exception cref="HyperparameterException">The value cannot be read as <typeparamref name="T"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported type.</exception>
    public T Get<T>(string name, T defaultValue) =>
        _values.TryGetValue(Ask(name), out var text) ? HyperparameterValueParser.Parse<T>(name, text) : defaultValue;

    /// <summary>Gets a hyperparameter that must be given, as <typeparamref name="T"/> (see <see cref="Get{T}(string, T)"/>).</summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="name">The name without the leading <c>--</c>.</param>
    /// <exception cref="HyperparameterException">The hyperparameter was not given, or cannot be read as <typeparamref name="T"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported type.</exception>
    public T GetRequired<T>(string name)
    {
        if (!_values.TryGetValue(Ask(name), out var text))
        {
            throw new HyperparameterException(
                name,
                null,
                typeof(T),
                $"Hyperparameter '{name}' is required but was not given; pass it as --{name}=<value>, where the value is a {HyperparameterValueParser.Describe(typeof(T))}.");
        }

        return HyperparameterValueParser.Parse<T>(name, text);
    }

    /// <summary>The hyperparameters as <c>--name=value</c> flags followed by the positional arguments.</summary>
    public override string ToString() =>
        string.Join(' ', _values.Select(v => $"{FlagPrefix}{v.Key}={v.Value}").Concat(Positional));

    private string Ask(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _asked.TryAdd(name, true);
        return name;
    }

    // "-0.5" is a value, not a flag: only the double dash starts a flag.
    private static bool IsFlag(string arg) => arg.Length > FlagPrefix.Length && arg.StartsWith(FlagPrefix, StringComparison.Ordinal) && arg[2] != '=';
}
