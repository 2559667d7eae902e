using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Ordering.Data;
using PrintFlow.Partners.Data;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>
/// A channel that never hears back about an order re-sends it: Ordering's endpoint loses the first submission (the
/// transport said it was delivered, the effect never happened), Partners re-sends it, the order is quoted once.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class ChannelResendTests : IDisposable
{
    private const string TraceUi = "http://localhost:16686/trace/{traceId}";
    private readonly PrintFlowHost _root = new(new Dictionary<string, string?>
    {
        ["Partners:Resend:After"] = "00:00:02",
        ["Partners:Resend:Interval"] = "00:00:00.100",
        ["Observability:TraceUrlTemplate"] = TraceUi,
    });

    private readonly LostSubmissions _lost = new();
    private readonly WebApplicationFactory<Program> _host;

    public ChannelResendTests() =>
        _host = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IMessageEndpoint)).ToList())
            {
                services.Remove(descriptor);
                services.AddSingleton<IMessageEndpoint>(sp => _lost.Around((IMessageEndpoint)descriptor.ImplementationFactory!(sp)));
            }
        }));

    [Fact]
    public async Task PartnerOrder_WhenOrderingLostTheSubmission_IsResentAndQuotedOnceWhileAnAnsweredOrderIsNeverResent()
    {
        using var partner = await Partner.CreateAsync(_host, _host.CreateClient());
        var answered = await partner.OrderAsync(StlFiles.BinaryCube(10), "answered.stl");
        await partner.WaitForStatusAsync(answered, "Quoted");

        _lost.LoseNext();
        var lost = await partner.OrderAsync(StlFiles.BinaryCube(12), "lost.stl");
        await partner.WaitForStatusAsync(lost, "Quoted");

        Assert.Equal(1, _lost.Count);
        var orders = await PartnerOrdersAsync();
        Assert.Equal((0, 1), (orders[answered], orders[lost])); // the sweep that re-sent the lost one passed the answered one by
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var ordering = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
            Assert.Equal(1, await ordering.Orders.CountAsync(o => o.Id == lost));
        }

        using var client = _host.CreateClient();
        var samples = PrometheusText.Parse(await client.GetStringAsync("/metrics"));
        Assert.Equal(1, samples.Value("printflow_orders_resent_total", ("channel", "partners")));
        Assert.Equal(0, samples.Value("printflow_orders_unanswered", ("channel", "partners")));
    }

    [Fact]
    public async Task OpsPage_AfterOrdersMoved_ShowsThroughputAndForEachStepTheServiceAndTraceId()
    {
        using var partner = await Partner.CreateAsync(_host, _host.CreateClient());
        var id = await partner.OrderAsync(StlFiles.BinaryCube(10), "ops.stl");
        await partner.WaitForStatusAsync(id, "Quoted");
        using var session = new WebSession(_host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        await session.SignInAsync("supervisor@printflow.local");

        var page = await session.GetPageAsync($"/ops?order={OrderNumber.From(id)}");

        Assert.Matches(@"data-testid=""ops-throughput-Submitted-5""[^>]*>0\.2/min<", page); // one order in 5 minutes
        Assert.Matches(@"data-testid=""ops-throughput-Quoted-60""[^>]*>0\.02/min<", page);
        var causes = Cells(page, "ops-step-cause");
        Assert.Equal(["Partners (orders.submitted)", "Partners (orders.submitted)", "Pricing (pricing.price-calculated)"], causes);
        var traces = Cells(page, "ops-step-trace");
        Assert.All(traces, trace => Assert.Matches("^[0-9a-f]{32}$", trace));
        Assert.Contains($"href=\"{TraceUi.Replace("{traceId}", traces[0], StringComparison.Ordinal)}\"", page);
    }

    /// <summary>The text of each table cell marked <paramref name="testId"/>, tags stripped.</summary>
    private static List<string> Cells(string html, string testId) =>
        [.. Regex.Matches(html, $"<td data-testid=\"{testId}\">(.*?)</td>", RegexOptions.Singleline)
            .Select(m => System.Net.WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value, "")).Trim())];

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private async Task<Dictionary<Guid, int>> PartnerOrdersAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PartnersDbContext>().Orders.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Resends);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>Ordering's endpoint "receives" the next submission and does nothing with it: a message lost on the way.</summary>
    private sealed class LostSubmissions
    {
        private int _loseNext;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void LoseNext() => Volatile.Write(ref _loseNext, 1);

        public IMessageEndpoint Around(IMessageEndpoint inner) => inner.Name == "ordering" ? new Endpoint(inner, this) : inner;

        private sealed class Endpoint(IMessageEndpoint inner, LostSubmissions owner) : IMessageEndpoint
        {
            public string Name => inner.Name;
            public IReadOnlyCollection<string> Subscriptions => inner.Subscriptions;

            public Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
            {
                if (envelope.Name == MessageTypes.NameOf<OrderSubmitted>() && Interlocked.Exchange(ref owner._loseNext, 0) == 1)
                {
                    Interlocked.Increment(ref owner._count);
                    return Task.CompletedTask;
                }

                return inner.DispatchAsync(envelope, cancellationToken);
            }
        }
    }
}
