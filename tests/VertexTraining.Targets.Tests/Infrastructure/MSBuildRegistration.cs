using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace VertexTraining.Targets.Tests.Infrastructure;

internal static class MSBuildRegistration
{
    /// <summary>
    /// The installed SDK's MSBuild, registered before any test method that names an MSBuild type is compiled:
    /// MSBuildLocator must resolve Microsoft.Build before the runtime first looks for it.
    /// </summary>
    [ModuleInitializer]
    internal static void RegisterInstalledSdk()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }
}
