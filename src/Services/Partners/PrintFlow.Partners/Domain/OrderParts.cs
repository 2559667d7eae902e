using PrintFlow.Contracts;

namespace PrintFlow.Partners.Domain;

/// <summary>One model of the order as submitted (stored as JSON with the order).</summary>
public sealed class OrderItemView
{
    public Guid ItemId { get; set; }
    public string ModelSha256 { get; set; } = "";
    public string FileName { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Material { get; set; } = "";
    public int Quantity { get; set; }

    public static OrderItemView From(OrderItem item) => new()
    {
        ItemId = item.ItemId,
        ModelSha256 = item.ModelSha256,
        FileName = item.FileName,
        SizeBytes = item.SizeBytes,
        Material = item.Material,
        Quantity = item.Quantity,
    };

    public OrderItem ToContract() => new(ItemId, ModelSha256, FileName, SizeBytes, Material, Quantity);
}

/// <summary>The latest quote Ordering reported for the order.</summary>
public sealed class QuoteView
{
    public Guid QuoteId { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";
    public string Mode { get; set; } = "";
    public DateTimeOffset ValidUntil { get; set; }
    public List<QuoteLineView> Lines { get; set; } = [];

    public static QuoteView From(QuoteSummary quote) => new()
    {
        QuoteId = quote.QuoteId,
        Amount = quote.Amount,
        Currency = quote.Currency,
        Mode = quote.Mode,
        ValidUntil = quote.ValidUntil,
        Lines = [.. quote.Lines.Select(l => new QuoteLineView { Description = l.Description, Amount = l.Amount })],
    };
}

public sealed class QuoteLineView
{
    public string Description { get; set; } = "";
    public decimal Amount { get; set; }
}

/// <summary>One status Ordering reported, kept by version so a late one still lands in its place.</summary>
public sealed class OrderStatusEntry
{
    public int Version { get; set; }
    public OrderStatus Status { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Reason { get; set; }
}

/// <summary>The last request Ordering refused (for example confirming an expired quote), for the partner to read.</summary>
public sealed class OrderMessage
{
    public string Command { get; set; } = "";
    public string Code { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}
