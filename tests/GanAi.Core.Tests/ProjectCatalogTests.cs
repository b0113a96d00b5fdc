using GanAi.Api;
using GanAi.Projects;
using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>The project list over HTTP, and its per-connection cache.</summary>
public class ProjectCatalogTests
{
    [Fact]
    public async Task Lists_from_many_callers_at_once_on_one_connection()
    {
        // Runspaces that share a connection (ForEach-Object -Parallel) run the pre-flight at the same
        // time. Replacing the cached list used to be a Remove and then an Add, and the second of two
        // callers in between failed its whole command ("An item with the same key has already been added").
        await using var emulator = await RunningEmulator.StartAsync();
        var client = emulator.Client();
        var caller = new ApiCaller(client, new ResilienceSettings { MaxRetries = 0 });
        for (var round = 0; round < 60; round++)
        {
            var lists = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => ProjectCatalog.ListAsync(caller, CancellationToken.None))));
            Assert.All(lists, list => Assert.Contains(list, project => project.ProjectId == "demo"));
        }
        Assert.Contains(ProjectCatalog.Cached(client, TimeSpan.FromMinutes(1))!, project => project.ProjectId == "demo");
        Assert.Null(ProjectCatalog.Cached(emulator.Client(), TimeSpan.FromMinutes(1)));
    }
}
