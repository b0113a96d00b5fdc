using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace GanAi.Compatibility.MonoHost
{
    /// <summary>
    /// The steps of Windows PowerShell 5.1's Import-Module GanAi that touch the module's assemblies, in
    /// its order: the nested module GanAi.Models.dll and the root module GanAi.dll are loaded by path
    /// (LoadFrom), their exported types listed (cmdlet discovery) before anything of the module has
    /// run, then the module initializer's OnImport, which installs the module's resolve handler.
    /// </summary>
    internal static class WindowsPowerShellImport
    {
        public static void Run(string moduleFolder, TextWriter log)
        {
            var models = Assembly.LoadFrom(Path.Combine(moduleFolder, "GanAi.Models.dll"));
            var cmdlets = Assembly.LoadFrom(Path.Combine(moduleFolder, "GanAi.dll"));
            foreach (var assembly in new[] { models, cmdlets })
                log.WriteLine($"exported types of {assembly.GetName().Name}: {Types(assembly, exportedOnly: true).Length}");

            var initializer = cmdlets.GetType("GanAi.ModuleInitializer", throwOnError: true)!;
            var instance = Activator.CreateInstance(initializer);
            initializer.GetMethod("OnImport")!.Invoke(instance, null);
            log.WriteLine("OnImport ran");

            // Every type of the module's assemblies loads (the 5.1 type cache lists them all, uncaught).
            foreach (var assembly in new[] { models, cmdlets })
                log.WriteLine($"all types of {assembly.GetName().Name}: {Types(assembly, exportedOnly: false).Length}");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(moduleFolder, "dependencies"), "*.dll"))
            {
                // By name, as a reference asks: only the module's handler knows the folder.
                var assembly = Assembly.Load(AssemblyName.GetAssemblyName(file));
                log.WriteLine($"all types of {assembly.GetName().Name} ({Where(assembly, moduleFolder)}): {Types(assembly, exportedOnly: false).Length}");
            }
        }

        /// <summary>GetTypes on every assembly in the process, as Windows PowerShell 5.1's type cache does for tab completion.</summary>
        public static void ListEveryType(TextWriter log)
        {
            var count = 0;
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic)) count += Types(assembly, exportedOnly: false).Length;
            log.WriteLine($"types of every loaded assembly: {count}");
        }

        /// <summary>GanAi.Core, Polly.Core and System.Text.Json came from the module folder, not from anywhere else.</summary>
        public static void RequireModuleCopies(string moduleFolder)
        {
            foreach (var name in new[] { "GanAi.Core", "GanAi.Models", "Polly.Core", "System.Text.Json" })
            {
                var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == name).ToList();
                if (loaded.Count != 1) throw new InvalidOperationException($"{name} is loaded {loaded.Count} times.");
                if (!Path.GetFullPath(loaded[0].Location).StartsWith(moduleFolder, StringComparison.Ordinal))
                    throw new InvalidOperationException($"{name} was loaded from {loaded[0].Location}, not from the module folder.");
            }
        }

        public static string Describe(Exception ex)
        {
            var text = new StringBuilder(ex.ToString());
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is ReflectionTypeLoadException load)
                    foreach (var loader in load.LoaderExceptions.Where(l => l != null).Select(l => l!.Message).Distinct().Take(20)) text.Append("\n  loader: ").Append(loader);
            }
            return text.ToString();
        }

        private static Type[] Types(Assembly assembly, bool exportedOnly) => exportedOnly ? assembly.GetExportedTypes() : assembly.GetTypes();

        private static string Where(Assembly assembly, string moduleFolder) =>
            assembly.Location.StartsWith(moduleFolder, StringComparison.Ordinal) ? assembly.Location.Substring(moduleFolder.Length).TrimStart('/', '\\') : assembly.Location;
    }
}
