using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;

namespace PrintFlow.Bench.Mes;

/// <summary>
/// A connected dashboard, measured: an event-stream client on /mes/queue/events and the fragment fetch it triggers.
/// For each job: dispatch ManufacturingRequested to the MES endpoint (as the broker would after the order's
/// confirmation), then wait for a notice, fetch the fragment, and stop the clock once the fragment shows the job.
/// </summary>
public sealed class LiveProbe(FloorClient client, IServiceProvider services)
{
    public async Task<List<double>> RunAsync(int jobs, Action<string> say)
    {
        var notices = Channel.CreateUnbounded<long>();
        using var stop = new CancellationTokenSource();
        var connected = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/mes/queue/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            string? eventName = null;
            while (await stream.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventName = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    // The stream opens with a "ready" event; every other event is a change notice.
                    if (eventName == "ready") connected.TrySetResult();
                    else notices.Writer.TryWrite(Stopwatch.GetTimestamp());
                }
                else if (line.Length == 0)
                {
                    eventName = null;
                }
            }
        }, stop.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var endpoint = services.GetServices<IMessageEndpoint>().Single(e => e.Name == "mes");
        var latencies = new List<double>(jobs);
        var random = new Random(7);
        string[] materials = ["PLA", "PETG", "ABS", "Resin"];
        for (var i = 0; i < jobs; i++)
        {
            while (notices.Reader.TryRead(out _)) { }
            var message = Request(random, materials[random.Next(materials.Length)]);
            var marker = $"data-arrival-order=\"{OrderNumber.From(message.OrderId)}\"";
            var started = Stopwatch.GetTimestamp();
            await endpoint.DispatchAsync(
                new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<ManufacturingRequested>(), message.OrderId,
                    MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null),
                CancellationToken.None);
            var seen = false;
            while (!seen)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await notices.Reader.ReadAsync(wait.Token);
                var (_, _, html) = await client.FragmentAsync("");
                seen = html.Contains(marker, StringComparison.Ordinal);
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await stop.CancelAsync();
        try { await reader; } catch (OperationCanceledException) { } catch (HttpRequestException) { } catch (IOException) { }
        say($"   live: {jobs} jobs");
        return latencies;
    }

    private static ManufacturingRequested Request(Random random, string material)
    {
        var orderId = Guid.CreateVersion7();
        var itemId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var express = random.Next(5) == 0;
        var partner = random.Next(10) < 3;
        return new ManufacturingRequested(
            orderId,
            new CustomerRef("bench-" + orderId.ToString("N")[..8], partner ? "Bench Partner Ltd" : "Bench Customer", "bench@example.com",
                partner ? SalesChannel.Partner : SalesChannel.Shop),
            [new OrderItem(itemId, new string('b', 64), "bench.stl", 2048, material, 1 + random.Next(3))],
            express ? LeadTime.Express : LeadTime.Standard,
            partner ? now.AddDays(5) : null,
            new QuoteSummary(Guid.NewGuid(), 30m, "EUR", "instant", now.AddDays(7), [new QuoteLine("bench.stl", 30m)],
                [new ItemQuote(itemId, "bench.stl", 10, 5000, 1.2, 10, 30m, [])]),
            now);
    }
}
