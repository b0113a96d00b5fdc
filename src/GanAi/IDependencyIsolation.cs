namespace GanAi
{
    /// <summary>
    /// What GanAi.dll needs from the PowerShell 7 load context (GanAi.Isolation.dll, net8.0, loaded
    /// by path): GanAi.dll itself never references System.Runtime.Loader, which .NET Framework lacks,
    /// so every one of its types loads on Windows PowerShell 5.1 too.
    /// </summary>
    internal interface IDependencyIsolation
    {
        /// <summary>Hooks the module's private load context in (again, after Import-Module -Force).</summary>
        /// <param name="dependencyFolder">The module's dependencies folder (its net8.0 folder first).</param>
        /// <param name="modelsPath">GanAi.Models.dll in the module folder: the one copy of the public types.</param>
        void Install(string dependencyFolder, string modelsPath);

        void Uninstall();
    }
}
