using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>A user name and secret for a registry. Never logged, never a task parameter.</summary>
internal sealed record RegistryCredential(string UserName, string Secret)
{
    public override string ToString() => $"{UserName} (secret hidden)";
}

/// <summary>
/// Finds registry credentials where the SDK's container tasks find them, so that looking for a
/// cached layer authenticates exactly like the push that follows: the DOTNET_CONTAINER_* variables
/// (set by the user, or by SetVertexRegistryCredentials for Artifact Registry), then the podman
/// and docker auth files with their credential helpers.
/// </summary>
internal static class RegistryCredentials
{
    /// <param name="registry">Registry as written in the image name (docker.io, host:port).</param>
    /// <param name="push">True for the registry being pushed to; false for a base image's registry.</param>
    /// <param name="isOutputRegistry">True when a pulled base lives in the registry being pushed to: the SDK then uses the push credentials.</param>
    public static RegistryCredential? Find(string registry, bool push, bool isOutputRegistry = false)
    {
        foreach (var prefix in Prefixes(push || isOutputRegistry))
        {
            var user = Environment.GetEnvironmentVariable(prefix + "_UNAME");
            var secret = Environment.GetEnvironmentVariable(prefix + "_PWORD");
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(secret))
            {
                return new RegistryCredential(user, secret);
            }
        }

        foreach (var file in AuthFiles())
        {
            if (FromAuthFile(file, registry) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }

    /// <summary>
    /// A hash of every environment variable <see cref="Find"/> reads for a role (push or pull): equal
    /// fingerprints mean a lookup would read the same variables and files.
    /// </summary>
    public static string EnvironmentFingerprint(bool pushRole)
    {
        var text = new StringBuilder();
        foreach (var prefix in Prefixes(pushRole))
        {
            text.Append(Environment.GetEnvironmentVariable(prefix + "_UNAME")).Append('\0')
                .Append(Environment.GetEnvironmentVariable(prefix + "_PWORD")).Append('\0');
        }

        foreach (var name in new[] { "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "DOCKER_CONFIG" })
        {
            text.Append(Environment.GetEnvironmentVariable(name)).Append('\0');
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string[] Prefixes(bool pushRole) => pushRole
        ? ["DOTNET_CONTAINER_PUSH_REGISTRY", "SDK_CONTAINER_PUSH_REGISTRY", "DOTNET_CONTAINER_REGISTRY", "SDK_CONTAINER_REGISTRY"]
        : ["DOTNET_CONTAINER_PULL_REGISTRY", "SDK_CONTAINER_PULL_REGISTRY", "DOTNET_CONTAINER_REGISTRY", "SDK_CONTAINER_REGISTRY"];

    private static IEnumerable<string> AuthFiles()
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } podmanFile)
        {
            yield return podmanFile;
        }

        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir)
        {
            yield return Path.Combine(runtimeDir, "containers", "auth.json");
        }

        var dockerConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } configDir
            ? configDir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        yield return Path.Combine(dockerConfig, "config.json");
    }

    private static RegistryCredential? FromAuthFile(string file, string registry)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            var keys = KeysFor(registry);
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in keys)
                {
                    if (helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } name)
                    {
                        return FromHelper(name, key);
                    }
                }
            }

            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject())
                {
                    if (keys.Contains(NormaliseKey(entry.Name), StringComparer.OrdinalIgnoreCase)
                        && entry.Value.ValueKind == JsonValueKind.Object
                        && entry.Value.TryGetProperty("auth", out var auth)
                        && auth.GetString() is { Length: > 0 } encoded)
                    {
                        if (DecodeAuth(encoded) is { } credential)
                        {
                            return credential;
                        }
                    }
                }
            }

            if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
            {
                return FromHelper(storeName, keys[0]);
            }
        }

        return null;
    }

    // "auth" is base64 of user:secret.
    private static RegistryCredential? DecodeAuth(string encoded)
    {
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = pair.IndexOf(':');
            return colon > 0 ? new RegistryCredential(pair[..colon], pair[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // docker.io is keyed by its legacy index address in docker's files.
    private static string[] KeysFor(string registry) =>
        registry is "docker.io" or "registry-1.docker.io" or "index.docker.io"
            ? ["https://index.docker.io/v1/", "docker.io", "index.docker.io", "registry-1.docker.io"]
            : [registry];

    private static string NormaliseKey(string key)
    {
        if (key == "https://index.docker.io/v1/")
        {
            return key;
        }

        var trimmed = key.Replace("https://", "", StringComparison.OrdinalIgnoreCase).Replace("http://", "", StringComparison.OrdinalIgnoreCase);
        var slash = trimmed.IndexOf('/');
        return slash >= 0 ? trimmed[..slash] : trimmed;
    }

    // The docker credential-helper protocol: `docker-credential-NAME get`, server on stdin, JSON out.
    private static RegistryCredential? FromHelper(string helper, string server)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker-credential-" + helper, "get")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Write(server);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            if (process.ExitCode != 0)
            {
                return null;
            }

            using var json = JsonDocument.Parse(output.Result);
            var user = json.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
            var secret = json.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
            return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret) ? null : new RegistryCredential(user, secret);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            return null;
        }
    }
}
