using System.Globalization;

namespace PrintFlow.Load;

/// <summary>What a run achieved: accepted, reached, lost, latency percentiles and the throughput the system sustained.</summary>
internal sealed record LoadReport(
    string Label,
    int Orders,
    int Accepted,
    int Reached,
    int Rejected,
    int Lost,
    int RepeatedStates,
    double Throughput,
    double P50,
    double P95,
    double P99,
    double Max)
{
    public static LoadReport Of(IReadOnlyList<PlacedOrder> orders, LoadOptions options)
    {
        var reached = orders.Where(o => o.ReachedAt is not null).ToArray();
        var latencies = reached.Select(o => (o.ReachedAt!.Value - o.SubmittedAt).TotalMilliseconds).Order().ToArray();
        var throughput = reached.Length < 2
            ? 0
            : reached.Length / (reached.Max(o => o.ReachedAt!.Value) - orders.Min(o => o.SubmittedAt)).TotalSeconds;
        var rejected = orders.Count(o => o.Status is "Rejected" or "Cancelled");
        return new LoadReport(
            options.Label ?? "run",
            orders.Count,
            orders.Count(o => o.Id is not null),
            reached.Length,
            rejected,
            // Lost: never accepted despite retries, or accepted and neither at the target nor refused by the end.
            orders.Count - reached.Length - rejected,
            orders.Sum(o => o.RepeatedStates),
            throughput,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : latencies[^1]);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public void Print(TextWriter output)
    {
        output.WriteLine($"{Label}: {Orders} orders, {Accepted} accepted, {Reached} reached the target, {Rejected} rejected/cancelled, {Lost} lost");
        output.WriteLine($"{Label}: latency submit → target p50 {P50:F0} ms, p95 {P95:F0} ms, p99 {P99:F0} ms, max {Max:F0} ms; throughput {Throughput:F1} orders/s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT label={Label} orders={Orders} accepted={Accepted} reached={Reached} rejected={Rejected} lost={Lost} repeated_states={RepeatedStates} throughput={Throughput:F1} p50={P50:F0} p95={P95:F0} p99={P99:F0} max={Max:F0}"));
    }
}
