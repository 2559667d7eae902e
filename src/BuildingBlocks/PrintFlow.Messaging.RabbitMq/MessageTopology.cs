namespace PrintFlow.Messaging.RabbitMq;

/// <summary>Which service consumes which messages: the queues of the whole system, known to every process.</summary>
/// <remarks>
/// Every process declares all of them at start-up, so an event published before its consumer's first start is kept
/// in that consumer's queue rather than dropped as unroutable; the dlq command lists dead-letter queues from it (the
/// broker has no queue listing over AMQP). A consumer whose local subscriptions are missing here refuses to start.
/// </remarks>
public sealed record MessageTopology(IReadOnlyDictionary<string, IReadOnlyList<string>> Subscriptions)
{
    public IEnumerable<(string Endpoint, string Message)> Queues =>
        Subscriptions.SelectMany(pair => pair.Value.Select(message => (pair.Key, message)));

    public bool Contains(string endpoint, string message) =>
        Subscriptions.TryGetValue(endpoint, out var messages) && messages.Contains(message, StringComparer.Ordinal);
}

/// <summary>PrintFlow's topology: the subscriptions each service module registers (checked at consumer start-up).</summary>
public static class PrintFlowTopology
{
    public static readonly MessageTopology Default = new(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["ordering"] =
        [
            "orders.submitted", "pricing.price-calculated", "pricing.failed", "pricing.quote-refined",
            "orders.confirmation-requested", "orders.cancellation-requested", "manufacturing.progressed",
        ],
        ["pricing"] = ["pricing.price-requested"],
        ["mes"] = ["manufacturing.requested", "manufacturing.cancelled"],
        ["shop"] = ["orders.status-changed", "orders.command-rejected"],
        ["partners"] = ["orders.status-changed", "orders.command-rejected"],
        ["crm"] = ["orders.submitted", "orders.status-changed"],
    });
}
