namespace VertexTraining.Testing;

/// <summary>
/// The local registries and podman prepared by build/setup-test-env.sh, as announced by the
/// variables its env.sh exports. In CI (VERTEX_TEST_REQUIRE_ENV=1) a missing environment fails
/// the tests that need it; elsewhere they are skipped with the reason shown.
/// </summary>
public static class TestEnvironment
{
    public const string SetupHint = "run `bash build/setup-test-env.sh && source /tmp/vertex-test-env/env.sh` before `dotnet test`";

    public static bool IsReady => Environment.GetEnvironmentVariable("VERTEX_TEST_ENV_READY") == "1";

    public static bool HasPodman => IsReady && Environment.GetEnvironmentVariable("VERTEX_TEST_PODMAN") == "1";

    public static bool IsRequired => Environment.GetEnvironmentVariable("VERTEX_TEST_REQUIRE_ENV") == "1";

    /// <summary>The plain registry, e.g. 127.0.0.1:5000.</summary>
    public static string Registry => Get("VERTEX_TEST_REGISTRY", "127.0.0.1:5000");

    /// <summary>The registry that demands credentials, e.g. 127.0.0.1:5001.</summary>
    public static string AuthRegistry => Get("VERTEX_TEST_AUTH_REGISTRY", "127.0.0.1:5001");

    public static string AuthUser => Get("VERTEX_TEST_AUTH_USER", "oauth2accesstoken");

    public static string AuthPassword => Get("VERTEX_TEST_AUTH_PASSWORD", "test-token-secret");

    /// <summary>Where the stand-in nvidia/cuda images are, e.g. 127.0.0.1:5000/nvidia/cuda.</summary>
    public static string BaseImageRepository => Get("VERTEX_TEST_BASE_IMAGE_REPO", Registry + "/nvidia/cuda");

    public static string AuthBaseImageRepository => Get("VERTEX_TEST_AUTH_BASE_IMAGE_REPO", AuthRegistry + "/nvidia/cuda");

    /// <summary>Why a registry test cannot run here, or null when it can.</summary>
    public static string? RegistryUnavailableReason =>
        IsReady ? null : $"VERTEX_TEST_ENV_READY is not set (no local registries): {SetupHint}";

    public static string? PodmanUnavailableReason =>
        RegistryUnavailableReason ?? (HasPodman ? null : "VERTEX_TEST_PODMAN is not set: podman cannot run containers on this machine (see /tmp/vertex-test-env/podman-check.log)");

    /// <summary>Called first by every test that needs the registries: fails loudly where the attribute did not skip.</summary>
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

/// <summary>
/// A test that pushes to or pulls from the local registries. Skipped with the reason shown when
/// they are not set up, except in CI, where the test runs and fails in <see cref="TestEnvironment.RequireRegistry"/>.
/// </summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (!TestEnvironment.IsRequired && TestEnvironment.RegistryUnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The theory form of <see cref="RegistryFactAttribute"/>.</summary>
public sealed class RegistryTheoryAttribute : TheoryAttribute
{
    public RegistryTheoryAttribute()
    {
        if (!TestEnvironment.IsRequired && TestEnvironment.RegistryUnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that runs the built image with podman; skipped (or, in CI, failed) without it.</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!TestEnvironment.IsRequired && TestEnvironment.PodmanUnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
