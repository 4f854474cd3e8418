using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli;

/// <summary>
/// What a command may touch of the outside world: its output streams, environment variables, working
/// directory, HTTP client and waiting. <c>Program.Main</c> uses the real ones; tests run commands
/// in-process with their own, side by side, which is why the current context flows per async call.
/// </summary>
internal sealed class CliContext
{
    private static readonly AsyncLocal<CliContext?> CurrentContext = new();

    // One handler for the process: connections are pooled across the commands' clients.
    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        // Each attempt has its own timeout (RetryPolicy.RequestTimeout); long follows must not hit a global one.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    public CliContext(TextWriter output, TextWriter error, Func<string, string?> getEnvironmentVariable, string workingDirectory)
    {
        Out = output;
        Err = error;
        GetEnvironmentVariable = getEnvironmentVariable;
        WorkingDirectory = workingDirectory;
    }

    /// <summary>The context of the command running on this async flow.</summary>
    public static CliContext Current
    {
        get => CurrentContext.Value ?? CreateDefault();
        set => CurrentContext.Value = value;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public Func<string, string?> GetEnvironmentVariable { get; }

    public string WorkingDirectory { get; }

    /// <summary>Retry policy of every API call; tests inject instant, observable delays.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Waits between polls while following a job.</summary>
    public Func<TimeSpan, CancellationToken, Task> PollDelay { get; init; } = Task.Delay;

    public HttpClient Http { get; init; } = SharedHttp.Value;

    /// <summary>The process's own console and environment.</summary>
    public static CliContext CreateDefault() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    /// <summary>A variable's value, or null when unset or blank.</summary>
    public string? Variable(string name) => GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
