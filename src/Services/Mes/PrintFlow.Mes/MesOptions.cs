using System.ComponentModel.DataAnnotations;
using PrintFlow.Mes.Shipping;

namespace PrintFlow.Mes;

public sealed class MesOptions
{
    public const string Section = "Mes";

    /// <summary>How many jobs one person may hold in progress (taken, not yet packed).</summary>
    [Range(1, 100)]
    public int WipLimit { get; set; } = 3;

    /// <summary>Rows per page of the work queue.</summary>
    [Range(5, 200)]
    public int PageSize { get; set; } = 25;

    /// <summary>The carriers "Ship" offers, by code (<c>cdek</c>, <c>russian-post</c>, <c>dhl</c>, <c>courier</c> unless configured otherwise).</summary>
    public Dictionary<string, CarrierOptions> Carriers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The Shop's public address, for the packing slip's QR code (the customer's order page).</summary>
    [Required, Url]
    public string ShopPublicUrl { get; set; } = "http://localhost:8080";

    /// <summary>Carrier callbacks with a wrong signature or secret one client address may send per minute; then 429.</summary>
    [Range(1, 1_000_000)]
    public int CarrierAuthFailuresPerMinute { get; set; } = 30;
}

/// <summary>The live-feed topics MES notifies.</summary>
public static class MesTopics
{
    public const string Queue = "mes:queue";

    /// <summary>The printers' grid: states, progress, time left.</summary>
    public const string Floor = "mes:floor";
}
