using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PrintFlow.Load;

/// <summary>One order the generator placed: what it sent, what the API answered, and where the order got to.</summary>
internal sealed class PlacedOrder(int index, string idempotencyKey)
{
    public int Index { get; } = index;
    public string IdempotencyKey { get; } = idempotencyKey;
    public Guid? Id { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public int SubmitAttempts { get; set; }
    public string? SubmitError { get; set; }
    public string? Status { get; set; }
    public DateTimeOffset? ReachedAt { get; set; }
    public int RepeatedStates { get; set; }
    public bool Finished { get; set; }

    /// <summary>Transitions in the order's history when last read: its webhook events are versions 1 to this.</summary>
    public int Versions { get; set; }
}

/// <summary>Submits the orders open-loop at the configured rate, then follows each to its target state.</summary>
internal sealed class LoadRun(LoadOptions options, HttpClient http, TextWriter log)
{
    private static readonly string[] PreManufacturing = ["Submitted", "PriceCalculating", "Quoted", "Confirmed", "ManufacturingApproved"];
    private static readonly HashSet<string> Terminal = ["Rejected", "Cancelled", "Delivered"];
    private const string ShippingAddress =
        """{"recipient":"Benchmark Partner","line1":"Hauptstraße 5","city":"Berlin","postalCode":"10115","country":"DE"}""";
    private readonly string _run = DateTimeOffset.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
    private byte[]? _sharedModel;

    public async Task<IReadOnlyList<PlacedOrder>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var orders = Enumerable.Range(0, options.TotalOrders).Select(i => new PlacedOrder(i, $"load-{_run}-{i}")).ToArray();
        _sharedModel = options.UniqueModels ? null : TorusModel.Create(options.Triangles);
        var models = options.UniqueModels
            ? orders.Select(o => TorusModel.Create(options.Triangles, options.FirstVariant + o.Index)).ToArray()
            : null;

        log.WriteLine($"Submitting {orders.Length} orders at {options.Rate:F0}/s to {options.BaseUrl} ({options.Triangles}-triangle {(options.UniqueModels ? "unique" : "shared")} model)...");
        var clock = Stopwatch.StartNew();
        var inFlight = new SemaphoreSlim(1024);
        var submissions = new List<Task>(orders.Length);
        foreach (var order in orders)
        {
            // Read the clock once: read twice, it can pass the due time in between and make the wait negative.
            var wait = TimeSpan.FromSeconds(order.Index / options.Rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            submissions.Add(Task.Run(async () =>
            {
                try
                {
                    await SubmitAsync(order, models?[order.Index] ?? _sharedModel!, cancellationToken);
                }
                finally
                {
                    inFlight.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(submissions);
        var submitSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"Submitted in {submitSeconds:F1} s ({orders.Count(o => o.Id is not null) / submitSeconds:F0}/s accepted); following orders to {options.Target}...");

        await FollowAsync(orders, cancellationToken);
        return orders;
    }

    private async Task SubmitAsync(PlacedOrder order, byte[] model, CancellationToken cancellationToken)
    {
        order.SubmittedAt = DateTimeOffset.UtcNow;
        var deadline = DateTimeOffset.UtcNow + options.SettleTimeout;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            order.SubmitAttempts++;
            try
            {
                using var content = new MultipartFormDataContent();
                var file = new ByteArrayContent(model);
                file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
                content.Add(file, "model", $"load-{order.Index}.stl");
                content.Add(new StringContent("PLA"), "material");
                content.Add(new StringContent("1"), "quantity");
                content.Add(new StringContent(order.IdempotencyKey), "reference");
                content.Add(new StringContent(ShippingAddress), "shippingAddress");
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/partners/v1/orders") { Content = content };
                request.Headers.Add("Idempotency-Key", order.IdempotencyKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    order.Id = body.RootElement.GetProperty("id").GetGuid();
                    return;
                }

                order.SubmitError = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError))
                {
                    return; // refused for good: counted as not accepted
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                order.SubmitError = exception.Message;
            }

            // A process or the proxy is down (the fault test kills them): retry with the same key, as a partner would.
            if (DateTimeOffset.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }

    /// <summary>
    /// Follows the orders to their target. Following must not become the load: asking about every unsettled order
    /// every round meant, with a backlog of 1,500, about 500 requests a second against the instances under test. Orders
    /// move through the pipeline roughly in the order they were submitted, so the follower asks about the oldest
    /// unsettled one (four times a second) and moves on when it settles: about one request per order. When that one has
    /// not moved for a while, it asks about the next few; if some of those settled, it is a straggler and is set aside
    /// for the final rounds, which ask about every order still unsettled every two seconds, as before. The latency
    /// comes from the order's own history, so when the follower notices a settled order does not change the figures.
    /// </summary>
    private async Task FollowAsync(PlacedOrder[] orders, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.SettleTimeout;
        var lastReport = DateTimeOffset.UtcNow;
        var line = orders.Where(o => o.Id is not null).ToArray();
        var head = 0;
        var headSince = DateTimeOffset.UtcNow;
        while (head < line.Length && DateTimeOffset.UtcNow < deadline)
        {
            if (line[head].Finished)
            {
                head++;
                headSince = DateTimeOffset.UtcNow;
                continue;
            }

            await RefreshAsync(line[head], cancellationToken);
            if (line[head].Finished)
            {
                continue;
            }

            if (DateTimeOffset.UtcNow - headSince > StallAfter)
            {
                var next = line.Skip(head + 1).Where(o => !o.Finished).Take(16).ToArray();
                await Parallel.ForEachAsync(next, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                    async (order, ct) => await RefreshAsync(order, ct));
                if (next.Any(o => o.Finished))
                {
                    head++; // a straggler: the final rounds look at it again
                }

                headSince = DateTimeOffset.UtcNow;
            }

            lastReport = Report(orders, lastReport);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        while (true)
        {
            var pending = orders.Where(o => o.Id is not null && !o.Finished).ToArray();
            if (pending.Length == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return;
            }

            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                async (order, ct) => await RefreshAsync(order, ct));
            lastReport = Report(orders, lastReport);
            if (orders.Any(o => o.Id is not null && !o.Finished))
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(5);

    private DateTimeOffset Report(PlacedOrder[] orders, DateTimeOffset lastReport)
    {
        if (DateTimeOffset.UtcNow - lastReport <= TimeSpan.FromSeconds(5))
        {
            return lastReport;
        }

        log.WriteLine($"  {orders.Count(o => o.Finished)}/{orders.Count(o => o.Id is not null)} orders settled");
        return DateTimeOffset.UtcNow;
    }

    private async Task RefreshAsync(PlacedOrder order, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/partners/v1/orders/{order.Id}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return; // a restarting instance: ask again next round
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            order.Status = body.RootElement.GetProperty("status").GetString();
            var history = body.RootElement.GetProperty("history").EnumerateArray()
                .Select(h => (Status: h.GetProperty("status").GetString()!, At: h.GetProperty("at").GetDateTimeOffset()))
                .ToArray();
            var reached = history.FirstOrDefault(h => h.Status == options.Target);
            order.Versions = history.Length;
            order.RepeatedStates = PreManufacturing.Sum(s => Math.Max(0, history.Count(h => h.Status == s) - 1));
            if (reached.Status is not null)
            {
                order.ReachedAt = reached.At;
                order.Finished = true;
            }
            else if (order.Status is not null && Terminal.Contains(order.Status))
            {
                order.Finished = true;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The proxy or an instance is restarting; the next round asks again.
        }
    }
}
