using PrintFlow.Contracts;

namespace PrintFlow.Partners.Domain;

/// <summary>A B2B seller that orders through the API.</summary>
public sealed class Partner
{
    private Partner()
    {
    }

    public Partner(Guid id, string name, string contactEmail, decimal? autoConfirmBelow, int? requestsPerMinute, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(contactEmail);
        if (autoConfirmBelow is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(autoConfirmBelow), "An auto-confirm limit cannot be negative.");
        }

        if (requestsPerMinute is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), "A rate limit must allow at least one request a minute.");
        }

        Id = id;
        Name = name.Trim();
        ContactEmail = contactEmail.Trim();
        AutoConfirmBelow = autoConfirmBelow;
        RequestsPerMinute = requestsPerMinute;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string ContactEmail { get; private set; } = "";

    /// <summary>Quotes below this amount are confirmed by Ordering without asking; null means always ask.</summary>
    public decimal? AutoConfirmBelow { get; private set; }

    /// <summary>This partner's own rate limit; null means the configured default.</summary>
    public int? RequestsPerMinute { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where an order goes when its request names no address; null when the partner has none.</summary>
    public ShippingAddress? DefaultShipTo { get; private set; }

    /// <param name="address">Already validated (<c>ShippingAddressRules</c>); null removes the default.</param>
    public void SetDefaultShipTo(ShippingAddress? address) => DefaultShipTo = address;

    public CustomerRef ToCustomer() => new(Id.ToString(), Name, ContactEmail, SalesChannel.Partner);
}
