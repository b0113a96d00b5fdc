#if CORE_NETSTANDARD
using System.Net;
using GanAi.Api;
using GanAi.Batching;
using Xunit;

namespace GanAi.Core.Tests;

/// <summary>
/// The netstandard2.0 build's ServicePoint tuning (what .NET Framework's HttpClient runs on): the
/// ServicePoint each request will use is tuned before that request, the proxy's when a proxy takes
/// it, so a ServicePoint .NET Framework made anew after 100 s idle is tuned again. Pure logic here,
/// over a handler that answers at once: .NET's own ServicePointManager keeps the objects and their
/// settings, which is what is checked.
/// </summary>
#pragma warning disable SYSLIB0014 // ServicePointManager: the API .NET Framework's HttpClient obeys
[Collection(nameof(ServicePointTuningTests))] // the system proxy hook is process-wide
public class ServicePointTuningTests
{
    [Fact]
    public async Task Each_request_tunes_its_own_service_point_again_after_it_was_made_anew_with_the_defaults()
    {
        var uri = new Uri($"http://tuning-{Guid.NewGuid():N}.invalid/v1/videos");
        using var client = new HttpClient(new HttpHandlers.ServicePointTuning(new AnsweringHandler()));

        await client.GetAsync(uri);
        var point = ServicePointManager.FindServicePoint(uri);
        AssertTuned(point);

        // What a ServicePoint dropped after 100 s idle comes back as: the defaults.
        point.ConnectionLimit = 2;
        point.UseNagleAlgorithm = true;
        point.Expect100Continue = true;
        await client.GetAsync(uri);
        AssertTuned(point);
    }

    [Fact]
    public async Task Behind_a_proxy_the_proxys_service_point_is_tuned()
    {
        var proxy = new Uri($"http://proxy-{Guid.NewGuid():N}.invalid:3128/");
        var uri = new Uri($"http://target-{Guid.NewGuid():N}.invalid/v1/videos");
        var saved = HttpHandlers.ServicePointTuning.SystemProxy;
        HttpHandlers.ServicePointTuning.SystemProxy = () => new WebProxy(proxy);
        try
        {
            using var client = new HttpClient(new HttpHandlers.ServicePointTuning(new AnsweringHandler()));
            await client.GetAsync(uri);
        }
        finally
        {
            HttpHandlers.ServicePointTuning.SystemProxy = saved;
        }
        // The proxy's ServicePoint, as the request through it gets it (the target's own is another).
        AssertTuned(ServicePointManager.FindServicePoint(uri, new WebProxy(proxy)));
        Assert.NotSame(ServicePointManager.FindServicePoint(uri), ServicePointManager.FindServicePoint(uri, new WebProxy(proxy)));
    }

    private static void AssertTuned(ServicePoint point)
    {
        Assert.Equal(VideoBatchOptions.MaxThrottleLimit, point.ConnectionLimit);
        Assert.False(point.UseNagleAlgorithm);
        Assert.False(point.Expect100Continue);
    }

    private sealed class AnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
#endif
