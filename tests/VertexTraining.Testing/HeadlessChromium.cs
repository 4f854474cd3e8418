using System.Text.RegularExpressions;

namespace VertexTraining.Testing;

/// <summary>
/// Debian's headless Chromium (installed by build/setup-test-env.sh), run on a file with the network cut off: the DOM
/// after the page's scripts ran, and a screenshot. Shared by the tests that open our reports: the probe job's
/// (Local.Tests) and the sample's, whose screenshot is the documentation's picture (Build.Tests).
/// </summary>
public static partial class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string? Executable =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>The serialized DOM once the page's timers and promises settled (virtual time).</summary>
    public static async Task<string> DumpDomAsync(string htmlFile, string profile)
    {
        return await RunAsync(profile, "--dump-dom", new Uri(htmlFile).AbsoluteUri);
    }

    public static async Task ScreenshotAsync(string htmlFile, string png, string profile, int width, int height)
    {
        await RunAsync(profile, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri);
        Assert.True(File.Exists(png), $"Chromium wrote no screenshot {png}");
    }

    /// <summary>Runs Chromium to its end and returns its standard output (the DOM for --dump-dom; its log lines go to stderr).</summary>
    private static async Task<string> RunAsync(string profile, params string[] arguments)
    {
        var chromium = Executable ?? throw new InvalidOperationException("chromium is not installed (build/setup-test-env.sh installs it)");
        Directory.CreateDirectory(profile);
        using var child = ChildProcess.Start(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            // WebGL (plotly's parallel coordinates) on the CPU: there is no GPU here.
            "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
            // Nothing may come from the network: every host name fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--user-data-dir={profile}", "--virtual-time-budget=30000", .. arguments,
        ]);
        Assert.True(await child.WaitForExitAsync(Timeout), $"chromium did not finish within {Timeout}\n{child.Interleaved}");
        Assert.True(child.Process.ExitCode == 0, $"chromium exited {child.Process.ExitCode}\n{ChildProcess.Snapshot(child.StandardError)}");
        return ChildProcess.Snapshot(child.StandardOutput);
    }

    /// <summary>The attributes of every element whose class list has <paramref name="cssClass"/>, in document order.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ElementsWithClass(string dom, string cssClass) =>
        [.. StartTag().Matches(dom)
            .Select(tag => Attribute().Matches(tag.Value).DistinctBy(a => a.Groups["name"].Value)
                .ToDictionary(a => a.Groups["name"].Value, a => System.Net.WebUtility.HtmlDecode(a.Groups["value"].Value)))
            .Where(attributes => attributes.TryGetValue("class", out var classes) && classes.Split(' ').Contains(cssClass))];

    /// <summary>
    /// Asserts that each chart (by element id) drew the expected number of points: the report's script sets
    /// <c>data-rendered-points</c> from the marker elements plotly put in the page, so this counts what was drawn.
    /// </summary>
    public static void AssertRenderedPoints(string dom, IReadOnlyDictionary<string, int> expected)
    {
        var charts = ElementsWithClass(dom, "chart").ToDictionary(c => c["id"]);
        foreach (var (id, points) in expected)
        {
            Assert.True(charts.TryGetValue(id, out var chart), $"The page has no chart {id}");
            Assert.True(chart.TryGetValue("data-rendered-points", out var rendered), $"{id} was not drawn");
            Assert.True(rendered == points.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{id}: drew {rendered} points, the job has {points}");
        }
    }

    /// <summary>The text of the element with <paramref name="id"/>, or null.</summary>
    public static string? TextOf(string dom, string id) =>
        Regex.Match(dom, $"<(?<tag>\\w+)[^>]*\\bid=\"{Regex.Escape(id)}\"[^>]*>(?<text>.*?)</\\k<tag>>", RegexOptions.Singleline) is { Success: true } m
            ? System.Net.WebUtility.HtmlDecode(m.Groups["text"].Value)
            : null;

    [GeneratedRegex(@"<(div|tr)\s[^>]*>")]
    private static partial Regex StartTag();

    [GeneratedRegex("\\s(?<name>[a-zA-Z-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();
}

/// <summary>A test that opens pages in headless Chromium; skipped (with the reason) where it is not installed, unless required.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!TestEnvironment.IsRequired && HeadlessChromium.Executable is null)
        {
            Skip = "Needs chromium on PATH (build/setup-test-env.sh installs Debian's chromium package).";
        }
    }
}
