using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Shipping;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using Fields = PrintFlow.ServiceDefaults.Shipping.ShippingAddressRules.Fields;

namespace PrintFlow.Shop.Endpoints;

/// <summary>
/// The checkout's shipping address: a saved one the customer picked (<c>savedAddress</c>), or the fields of a new one,
/// checked by <see cref="ShippingAddressRules"/>. A new address goes into the customer's address book with the order.
/// </summary>
internal static class CheckoutAddress
{
    public const string SavedField = "savedAddress";
    public const string SavedUnknown = "address.saved-unknown";

    /// <summary>The form fields of a new address, in the order the form shows them.</summary>
    public static readonly string[] FieldNames =
        [Fields.Recipient, Fields.Line1, Fields.Line2, Fields.City, Fields.Region, Fields.PostalCode, Fields.Country, Fields.Phone];

    public sealed record Resolved(ShippingAddress? Address, SavedAddress? Saved, IReadOnlyList<string> ErrorCodes);

    public static AddressInput InputFrom(IReadOnlyDictionary<string, string> fields) => new(
        fields.GetValueOrDefault(Fields.Recipient), fields.GetValueOrDefault(Fields.Line1), fields.GetValueOrDefault(Fields.Line2),
        fields.GetValueOrDefault(Fields.City), fields.GetValueOrDefault(Fields.Region), fields.GetValueOrDefault(Fields.PostalCode),
        fields.GetValueOrDefault(Fields.Country), fields.GetValueOrDefault(Fields.Phone));

    public static async Task<Resolved> ResolveAsync(ShopDbContext db, Guid customerId, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        if (fields.GetValueOrDefault(SavedField) is { Length: > 0 } savedText)
        {
            var saved = Guid.TryParse(savedText, out var savedId)
                ? await db.Addresses.FirstOrDefaultAsync(a => a.Id == savedId && a.CustomerId == customerId, cancellationToken)
                : null;
            return saved is null ? new Resolved(null, null, [SavedUnknown]) : new Resolved(saved.ToAddress(), saved, []);
        }

        var (address, problems) = ShippingAddressRules.Validate(InputFrom(fields));
        return new Resolved(address, null, [.. problems.Select(p => p.Code)]);
    }

    /// <summary>Keeps the address in the book (once), most recently used first, at most <see cref="SavedAddress.MaxPerCustomer"/>.</summary>
    public static async Task RememberAsync(ShopDbContext db, Guid customerId, Resolved resolved, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (resolved.Saved is { } picked)
        {
            picked.Used(now);
            return;
        }

        var address = resolved.Address!;
        var book = await db.Addresses.Where(a => a.CustomerId == customerId).OrderByDescending(a => a.LastUsedAt).ToListAsync(cancellationToken);
        if (book.FirstOrDefault(a => a.ToAddress() == address) is { } same)
        {
            same.Used(now);
            return;
        }

        db.Addresses.Add(SavedAddress.Save(customerId, address, now));
        db.Addresses.RemoveRange(book.Skip(SavedAddress.MaxPerCustomer - 1));
    }

    public static Task<List<SavedAddress>> BookAsync(ShopDbContext db, Guid customerId, CancellationToken cancellationToken) =>
        db.Addresses.AsNoTracking().Where(a => a.CustomerId == customerId).OrderByDescending(a => a.LastUsedAt)
            .Take(SavedAddress.MaxPerCustomer).ToListAsync(cancellationToken);

    /// <summary>The problems with what the form sent back in the page address, for the sentences beside each field.</summary>
    public static ILookup<string, AddressProblem> ProblemsByField(AddressInput echoed) =>
        ShippingAddressRules.Validate(echoed).Problems.ToLookup(p => p.Field);

    /// <summary>What to send back to the form: the typed fields, cut just past their limits so a too-long one stays too long.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Echo(IReadOnlyDictionary<string, string> fields) =>
        FieldNames.Where(fields.ContainsKey).Select(name => new KeyValuePair<string, string>("a." + name, Cut(fields[name])));

    private static string Cut(string value) => value.Length <= ShippingAddressRules.MaxLine + 1 ? value : value[..(ShippingAddressRules.MaxLine + 1)];
}
