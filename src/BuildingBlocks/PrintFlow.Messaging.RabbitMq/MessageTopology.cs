namespace PrintFlow.Messaging.RabbitMq;

/// <summary>Which service consumes which messages: the queues of the whole system, known to every process.</summary>
/// <remarks>
/// Every process declares all of them at start-up, so an event published before its consumer's first start is kept
/// in that consumer's queue rather than dropped as unroutable; the dlq command lists dead-letter queues from it (the
/// broker has no queue listing over AMQP). A consumer whose local subscriptions are missing here refuses to start.
/// <para>
/// Routed events (decision 13): <paramref name="Routes"/> lists, per message, every route its events may carry, and
/// <paramref name="Only"/> the one route a consumer takes of it (by default all). A queue is bound by the message's
/// name, which events without a known route (and every event from a publisher built before routing) travel by, and by
/// <c>name.route</c> for each route it takes; an event with a known route travels by <c>name.route</c> only.
/// </para>
/// </remarks>
public sealed record MessageTopology(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Subscriptions,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Routes = null,
    IReadOnlyDictionary<(string Endpoint, string Message), string>? Only = null)
{
    public IEnumerable<(string Endpoint, string Message)> Queues =>
        Subscriptions.SelectMany(pair => pair.Value.Select(message => (pair.Key, message)));

    public bool Contains(string endpoint, string message) =>
        Subscriptions.TryGetValue(endpoint, out var messages) && messages.Contains(message, StringComparer.Ordinal);

    /// <summary>The routing key an event travels by: <c>name.route</c> when the route is a known one, else the name.</summary>
    public string RoutingKey(string message, string? route) =>
        route is not null && Routes?.GetValueOrDefault(message)?.Contains(route, StringComparer.Ordinal) == true
            ? $"{message}.{route}"
            : message;

    /// <summary>The keys <paramref name="endpoint"/>'s queue for <paramref name="message"/> is bound by.</summary>
    public IEnumerable<string> BindingKeys(string endpoint, string message)
    {
        yield return message;
        var only = Only?.GetValueOrDefault((endpoint, message));
        foreach (var route in Routes?.GetValueOrDefault(message) ?? [])
        {
            if (only is null || only == route)
            {
                yield return $"{message}.{route}";
            }
        }
    }
}

/// <summary>PrintFlow's topology: the subscriptions each service module registers (checked at consumer start-up).</summary>
public static class PrintFlowTopology
{
    public static readonly MessageTopology Default = new(
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["ordering"] =
            [
                "orders.submitted", "pricing.price-calculated", "pricing.failed", "pricing.quote-refined",
                "orders.confirmation-requested", "orders.cancellation-requested", "manufacturing.progressed", "manufacturing.unschedulable",
            ],
            ["pricing"] = ["pricing.price-requested", "pricing.cart-quote-requested"],
            ["mes"] = ["manufacturing.requested", "manufacturing.cancelled"],
            ["shop"] = ["orders.status-changed", "orders.command-rejected", "pricing.cart-quoted"],
            ["partners"] = ["orders.status-changed", "orders.command-rejected"],
            ["crm"] = ["orders.submitted", "orders.status-changed", "accounts.customer-registered"],
            ["notifications"] = ["orders.status-changed", "orders.stuck", "accounts.email-requested"],
        },
        // Status events by sales channel (OrderStatusChanged.Route): Shop and Partners each get only their own orders'.
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["orders.status-changed"] = ["shop", "partner"] },
        new Dictionary<(string, string), string>
        {
            [("shop", "orders.status-changed")] = "shop",
            [("partners", "orders.status-changed")] = "partner",
            [("notifications", "orders.status-changed")] = "shop",
        });
}
