using PrintFlow.Contracts;

namespace PrintFlow.Shop.Domain;

/// <summary>An address in a customer's address book: offered at checkout, most recently used first.</summary>
public sealed class SavedAddress
{
    /// <summary>How many addresses one customer keeps; the least recently used one goes when a new one comes.</summary>
    public const int MaxPerCustomer = 20;

    private SavedAddress() { }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public string Recipient { get; private set; } = "";
    public string Line1 { get; private set; } = "";
    public string? Line2 { get; private set; }
    public string City { get; private set; } = "";
    public string? Region { get; private set; }
    public string PostalCode { get; private set; } = "";
    public string Country { get; private set; } = "";
    public string? Phone { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastUsedAt { get; private set; }

    public ShippingAddress ToAddress() => new(Recipient, Line1, Line2, City, Region, PostalCode, Country, Phone);

    /// <summary>A one-line label for the address book's list.</summary>
    public string Label => string.Join(", ", new[] { Recipient, Line1, Line2, $"{PostalCode} {City}", Country }.Where(p => !string.IsNullOrEmpty(p)));

    /// <param name="address">Already validated (<c>ShippingAddressRules</c>).</param>
    public static SavedAddress Save(Guid customerId, ShippingAddress address, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CustomerId = customerId,
        Recipient = address.Recipient,
        Line1 = address.Line1,
        Line2 = address.Line2,
        City = address.City,
        Region = address.Region,
        PostalCode = address.PostalCode,
        Country = address.Country,
        Phone = address.Phone,
        CreatedAt = now,
        LastUsedAt = now,
    };

    public void Used(DateTimeOffset now) => LastUsedAt = now;
}
