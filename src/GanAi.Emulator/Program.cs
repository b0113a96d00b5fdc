using GanAi.Emulator;

if (args.Contains("--help") || args.Contains("-h") || args.Contains("-?"))
{
    Console.WriteLine(EmulatorOptions.Usage);
    return 0;
}

EmulatorOptions options;
try
{
    options = EmulatorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(EmulatorOptions.Usage);
    return 2;
}

var started = false;
try
{
    await using var emulator = await EmulatorApp.StartAsync(options);
    started = true;
    if (options.ParentProcessId is { } parent) _ = EmulatorApp.StopWhenGoneAsync(parent, emulator);
    var projects = string.Join(", ", emulator.State.Projects.Select(p => $"{p.ProjectId} (tags: {string.Join(", ", p.Tags)})"));
    Console.WriteLine($"GanAi emulator listening on {emulator.BaseUri.ToString().TrimEnd('/')}; projects: {projects}. Ctrl+C stops it.");
    await emulator.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or IOException)
{
    Console.Error.WriteLine("The emulator could not start: " + ex.Message);
    return 1;
}
finally
{
    // The starter may be gone (the emulator outlives it by a second): nobody else tidies its folder.
    // Not when it could not start: the starter reads why from the logs there.
    if (started && options.WorkFolder is { Length: > 0 } folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // open logs on Windows: left for the temp cleaner
    }
}
