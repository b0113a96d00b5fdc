using GanAi.Api;
using GanAi.Downloads;
using GanAi.Resilience;
using Polly;

namespace GanAi.Core.Tests;

/// <summary>
/// Save-GanVideo retries a download when the connection fails, never when the file cannot be
/// written: a full disk stays full. (End to end, with the folder removed under a run, in
/// tests/Pester/Videos.Tests.ps1; a full disk itself cannot be made here.)
/// </summary>
public class LocalFileFailureTests
{
    [Fact]
    public async Task A_write_that_fails_later_names_the_file_and_is_not_retried()
    {
        var full = new IOException("No space left on device : '/videos/.a.mp4.1234.partial'");
        var thrown = await Assert.ThrowsAsync<LocalFileException>(() =>
            LocalFileException.GuardAsync(async () => { await Task.Yield(); throw full; }, "/videos/a.mp4"));

        Assert.Same(full, thrown.InnerException);
        Assert.Equal("/videos/a.mp4", thrown.Path);
        Assert.Equal("'/videos/a.mp4' could not be written: No space left on device : '/videos/.a.mp4.1234.partial'.", thrown.Message);
        Assert.False(TransientFailure.IsTransient(Outcome.FromException<ApiResponse>(thrown)));
        Assert.True(TransientFailure.IsTransient(Outcome.FromException<ApiResponse>(new IOException("The connection closed after 10 of 20 bytes."))));
    }

    [Fact]
    public void Opening_or_renaming_a_file_the_system_refuses_names_the_file()
    {
        var refused = Assert.Throws<LocalFileException>(() =>
            LocalFileException.Guard<int>(() => throw new UnauthorizedAccessException("Access to the path is denied."), "/videos/b.mp4"));
        Assert.IsType<UnauthorizedAccessException>(refused.InnerException);
        Assert.StartsWith("'/videos/b.mp4' could not be written: Access to the path is denied.", refused.Message);

        // What is not the file system's passes as it is (a defect is not a full disk).
        Assert.Throws<InvalidOperationException>(() => LocalFileException.Guard<int>(() => throw new InvalidOperationException(), "/videos/c.mp4"));
    }
}
