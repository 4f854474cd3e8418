namespace VertexTraining.Local.Tests;

/// <summary>
/// What build/setup-test-env.sh prepared (registries, podman, the CUDA stand-in base image). Outside CI a test that
/// needs it is skipped with the reason; with VERTEX_TEST_REQUIRE_ENV=1 (CI) it runs and fails instead.
/// </summary>
internal static class TestEnvironment
{
    public static bool Required => Environment.GetEnvironmentVariable("VERTEX_TEST_REQUIRE_ENV") == "1";

    public static bool Ready => Environment.GetEnvironmentVariable("VERTEX_TEST_ENV_READY") == "1";

    public static bool Podman => Environment.GetEnvironmentVariable("VERTEX_TEST_PODMAN") == "1";

    /// <summary>The stand-in CUDA base image in the plain local registry.</summary>
    public static string CudaBaseImage =>
        (Environment.GetEnvironmentVariable("VERTEX_TEST_BASE_IMAGE_REPO") ?? "127.0.0.1:5000/nvidia/cuda") + ":12.4.1-cudnn-runtime-ubuntu22.04";

    /// <summary>Fails with what is missing (the attribute has not skipped, so the test is required to run).</summary>
    public static void AssertPodmanReady()
    {
        Assert.True(Ready && Podman,
            "The container tests need build/setup-test-env.sh to have run (source /tmp/vertex-test-env/env.sh): " +
            $"VERTEX_TEST_ENV_READY={Environment.GetEnvironmentVariable("VERTEX_TEST_ENV_READY")}, VERTEX_TEST_PODMAN={Environment.GetEnvironmentVariable("VERTEX_TEST_PODMAN")}.");
    }
}

/// <summary>A test that runs containers with podman on the CUDA stand-in base; skipped (with the reason) where the environment is missing, unless required.</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!TestEnvironment.Required && !(TestEnvironment.Ready && TestEnvironment.Podman))
        {
            Skip = "Needs the test environment with a working podman (run build/setup-test-env.sh and source /tmp/vertex-test-env/env.sh); " +
                   $"VERTEX_TEST_ENV_READY={Environment.GetEnvironmentVariable("VERTEX_TEST_ENV_READY") ?? "unset"}, VERTEX_TEST_PODMAN={Environment.GetEnvironmentVariable("VERTEX_TEST_PODMAN") ?? "unset"}";
        }
    }
}

/// <summary>Serialises the tests that start processes and containers: two cores, and timing-sensitive checks.</summary>
[CollectionDefinition(Name)]
public sealed class LocalRunCollection
{
    public const string Name = "local runs";
}
