using System.ComponentModel.DataAnnotations;
using PrintFlow.Contracts;

namespace PrintFlow.Ordering;

public sealed class OrderingOptions
{
    public const string Section = "Ordering";

    /// <summary>How often the watchdog looks for orders past their state's deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an order may stay in a state before it is "stuck". Quoted has none: a quote expires at its own
    /// validity. Terminal states have none.
    /// </summary>
    public Dictionary<OrderStatus, TimeSpan> Deadlines { get; set; } = new()
    {
        [OrderStatus.Submitted] = TimeSpan.FromMinutes(1),
        [OrderStatus.PriceCalculating] = TimeSpan.FromMinutes(2),
        [OrderStatus.Confirmed] = TimeSpan.FromMinutes(2),
        [OrderStatus.ManufacturingApproved] = TimeSpan.FromDays(2),
        [OrderStatus.Printing] = TimeSpan.FromDays(2),
        [OrderStatus.PostProcessing] = TimeSpan.FromDays(1),
        [OrderStatus.QualityCheck] = TimeSpan.FromDays(1),
        [OrderStatus.Packed] = TimeSpan.FromDays(1),
        [OrderStatus.Shipped] = TimeSpan.FromDays(7),
    };

    public TimeSpan? DeadlineOf(OrderStatus status) => Deadlines.TryGetValue(status, out var deadline) ? deadline : null;
}
