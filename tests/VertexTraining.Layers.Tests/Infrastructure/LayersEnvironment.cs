namespace VertexTraining.Layers.Tests.Infrastructure;

/// <summary>
/// The loopback registries and podman prepared by build/setup-test-env.sh, as announced by its
/// env.sh. In CI (VERTEX_TEST_REQUIRE_ENV=1) a missing environment fails the tests that need it;
/// elsewhere they are skipped with the reason shown.
/// </summary>
internal static class LayersEnvironment
{
    private const string SetupHint = "run `bash build/setup-test-env.sh && source /tmp/vertex-test-env/env.sh` before `dotnet test`";

    public static bool IsRequired => Environment.GetEnvironmentVariable("VERTEX_TEST_REQUIRE_ENV") == "1";

    /// <summary>The plain registry, e.g. 127.0.0.1:5000.</summary>
    public static string Registry => Get("VERTEX_TEST_REGISTRY", "127.0.0.1:5000");

    /// <summary>The registry that demands credentials, e.g. 127.0.0.1:5001.</summary>
    public static string AuthRegistry => Get("VERTEX_TEST_AUTH_REGISTRY", "127.0.0.1:5001");

    public static string AuthUser => Get("VERTEX_TEST_AUTH_USER", "oauth2accesstoken");

    public static string AuthPassword => Get("VERTEX_TEST_AUTH_PASSWORD", "test-token-secret");

    /// <summary>Where the stand-in nvidia/cuda images are.</summary>
    public static string BaseImageRepository => Get("VERTEX_TEST_BASE_IMAGE_REPO", Registry + "/nvidia/cuda");

    public static string? RegistryUnavailableReason =>
        Environment.GetEnvironmentVariable("VERTEX_TEST_ENV_READY") == "1" ? null : $"VERTEX_TEST_ENV_READY is not set (no local registries): {SetupHint}";

    public static string? PodmanUnavailableReason =>
        RegistryUnavailableReason ?? (Environment.GetEnvironmentVariable("VERTEX_TEST_PODMAN") == "1" ? null : "VERTEX_TEST_PODMAN is not set: podman cannot run containers here");

    /// <summary>First call of a test that needs the registries: where the attribute did not skip, a missing environment fails.</summary>
    public static void RequireRegistry()
    {
        if (RegistryUnavailableReason is { } reason)
        {
            throw new InvalidOperationException($"VERTEX_TEST_REQUIRE_ENV=1 but the test environment is missing. {reason}");
        }
    }

    public static void RequirePodman()
    {
        if (PodmanUnavailableReason is { } reason)
        {
            throw new InvalidOperationException($"VERTEX_TEST_REQUIRE_ENV=1 but the test environment is missing. {reason}");
        }
    }

    private static string Get(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}

/// <summary>Needs the loopback registries: skipped with the reason outside CI, failed in CI.</summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (!LayersEnvironment.IsRequired && LayersEnvironment.RegistryUnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Needs podman as well: skipped with the reason outside CI, failed in CI.</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!LayersEnvironment.IsRequired && LayersEnvironment.PodmanUnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
