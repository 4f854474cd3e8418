namespace Shared;

public static class Greeting
{
    public static string Text => "library " + NuGet.Versioning.NuGetVersion.Parse("7.0.3-beta").IsPrerelease;
}
