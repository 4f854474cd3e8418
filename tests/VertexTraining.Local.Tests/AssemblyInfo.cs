using System.Runtime.Versioning;

// The local runner is tested on Linux only: the tests read /proc, send POSIX signals and run podman.
[assembly: SupportedOSPlatform("linux")]
