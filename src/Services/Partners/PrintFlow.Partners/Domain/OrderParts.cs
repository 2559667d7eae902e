using PrintFlow.Contracts;

namespace PrintFlow.Partners.Domain;

/// <summary>One model of the order as submitted (stored as JSON with the order).</summary>
public sealed class OrderItemView
{
    public Guid ItemId { get; init; }
    public string ModelSha256 { get; init; } = "";
    public string FileName { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Material { get; init; } = "";
    public int Quantity { get; init; }

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
    public Guid QuoteId { get; init; }
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Mode { get; init; } = "";
    public DateTimeOffset ValidUntil { get; init; }
    /// <summary>An estimate the slicer is refining: the exact quote replaces it before this time, or it stands.</summary>
    public DateTimeOffset? RefiningUntil { get; init; }
    public IReadOnlyList<QuoteLineView> Lines { get; init; } = [];

    public static QuoteView From(QuoteSummary quote) => new()
    {
        QuoteId = quote.QuoteId,
        Amount = quote.Amount,
        Currency = quote.Currency,
        Mode = quote.Mode,
        ValidUntil = quote.ValidUntil,
        RefiningUntil = quote.RefiningUntil,
        Lines = [.. quote.Lines.Select(l => new QuoteLineView { Description = l.Description, Amount = l.Amount })],
    };
}

public sealed class QuoteLineView
{
    public string Description { get; init; } = "";
    public decimal Amount { get; init; }
}

/// <summary>One status Ordering reported, kept by version so a late one still lands in its place.</summary>
public sealed class OrderStatusEntry
{
    public int Version { get; init; }
    public OrderStatus Status { get; init; }
    public DateTimeOffset At { get; init; }
    public string? Reason { get; init; }

    /// <summary>A rejection's reason refusal by refusal, so the API words it in the caller's language.</summary>
    public IReadOnlyList<RejectionPart>? ReasonParts { get; init; }
}

/// <summary>The last request Ordering refused (for example confirming an expired quote), for the partner to read.</summary>
public sealed class OrderMessage
{
    public string Command { get; init; } = "";
    public string Code { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset At { get; init; }
}
