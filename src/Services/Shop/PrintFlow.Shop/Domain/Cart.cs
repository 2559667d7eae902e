using System.Security.Cryptography;
using PrintFlow.Contracts;

namespace PrintFlow.Shop.Domain;

/// <summary>
/// A buyer's instant quote before it is an order: models uploaded (by anyone, signed in or not), each with its material,
/// colour, quality and quantity, priced by Pricing. It is found by an unguessable token (kept in a cookie and in the
/// page address; only its hash is stored) and kept for a limited time after its last change. Every change raises
/// <see cref="Revision"/> and asks for a new price; an answer for an older revision is ignored.
/// </summary>
public sealed class Cart
{
    public const int MaxItems = 20;
    public const int MaxQuantity = 1000;

    private Cart()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>SHA-256 of the token, hex: the token itself is only in the buyer's cookie and address bar.</summary>
    public string TokenHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public LeadTime LeadTime { get; private set; }

    /// <summary>Grows with every change that needs a new price.</summary>
    public int Revision { get; private set; }

    /// <summary>The revision of the last price applied; equal to <see cref="Revision"/> once the cart is priced.</summary>
    public int PricedRevision { get; private set; }

    public IReadOnlyList<CartItem> Items { get; private set; } = [];

    /// <summary>The last price as a whole (total, per-order lines, the price list's choices); null before the first.</summary>
    public CartPricing? Pricing { get; private set; }

    public PriceCatalogue? Catalogue => Pricing?.Catalogue;

    public int ConcurrencyStamp { get; private set; }

    public bool IsPriced => PricedRevision == Revision;

    /// <summary>Every item has a price (none was refused), so the cart can become an order.</summary>
    public bool CanOrder => IsPriced && Items.Count > 0 && Items.All(i => i.Price is { Amount: not null });

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <returns>The cart and its token (shown once: only its hash is kept).</returns>
    public static (Cart Cart, string Token) Create(LeadTime leadTime, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var cart = new Cart
        {
            Id = Guid.CreateVersion7(now),
            TokenHash = HashOf(token),
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + lifetime,
            LeadTime = leadTime,
        };
        return (cart, token);
    }

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>A token as the cookie or the address carries it: 43 URL-safe characters; anything else is not looked up.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public CartItem? Find(Guid itemId) => Items.FirstOrDefault(i => i.ItemId == itemId);

    public CartQuoteRequested Add(IReadOnlyList<CartItem> items, DateTimeOffset now, TimeSpan lifetime)
    {
        if (Items.Count + items.Count > MaxItems)
        {
            throw new CartRuleException(CartErrors.TooManyItems);
        }

        Items = [.. Items, .. items];
        return Changed(now, lifetime);
    }

    public CartQuoteRequested Change(Guid itemId, string material, string? colour, string quality, int quantity, DateTimeOffset now, TimeSpan lifetime)
    {
        if (quantity is < 1 or > MaxQuantity)
        {
            throw new CartRuleException(CartErrors.BadQuantity);
        }

        var item = Find(itemId) ?? throw new CartRuleException(CartErrors.NoSuchItem);
        // A colour belongs to a material: on a change of material the new material's default colour is priced.
        var keepColour = string.Equals(item.Material, material, StringComparison.OrdinalIgnoreCase);
        var changed = item with { Material = material, Colour = keepColour ? colour : null, Quality = quality, Quantity = quantity };
        Items = [.. Items.Select(i => i.ItemId == itemId ? changed : i)];
        return Changed(now, lifetime);
    }

    /// <returns>The new price request, or null when the cart is now empty (nothing to price).</returns>
    public CartQuoteRequested? Remove(Guid itemId, DateTimeOffset now, TimeSpan lifetime)
    {
        if (Find(itemId) is null)
        {
            throw new CartRuleException(CartErrors.NoSuchItem);
        }

        Items = [.. Items.Where(i => i.ItemId != itemId)];
        var request = Changed(now, lifetime);
        if (Items.Count > 0)
        {
            return request;
        }

        PricedRevision = Revision;
        Pricing = Pricing is null ? null : Pricing with { Total = null, OrderLines = [] };
        return null;
    }

    public CartQuoteRequested SetLeadTime(LeadTime leadTime, DateTimeOffset now, TimeSpan lifetime)
    {
        LeadTime = leadTime;
        return Changed(now, lifetime);
    }

    /// <summary>Applies Pricing's answer if it is for the current revision.</summary>
    /// <returns>false when the answer is for an older revision (a newer price is on its way).</returns>
    public bool Apply(CartQuoted answer)
    {
        if (answer.Revision != Revision)
        {
            return false;
        }

        var prices = answer.Items.ToDictionary(i => i.ItemId);
        Items = [.. Items.Select(i => prices.TryGetValue(i.ItemId, out var price)
            ? i with { Price = price, Colour = i.Colour ?? price.Colour }
            : i)];
        PricedRevision = answer.Revision;
        Pricing = new CartPricing(answer.Currency, answer.Total, answer.OrderLines, answer.Catalogue, answer.QuotedAt);
        ConcurrencyStamp++;
        return true;
    }

    /// <summary>The promised ship-by date for <paramref name="leadTime"/> if ordered at <paramref name="now"/>; null before the first price.</summary>
    public DateTimeOffset? ShipBy(LeadTime leadTime, DateTimeOffset now) =>
        Catalogue?.LeadTimes.FirstOrDefault(l => string.Equals(l.Name, leadTime.ToString(), StringComparison.OrdinalIgnoreCase)) is { } rule
            ? now.AddDays(rule.ShipWithinDays)
            : null;

    public IReadOnlyList<OrderItem> ToOrderItems() =>
        [.. Items.Select(i => new OrderItem(i.ItemId, i.ModelSha256, i.FileName, i.SizeBytes, i.Material, i.Quantity, i.Colour, i.Quality))];

    public CartQuoteRequested RequestQuote(DateTimeOffset now) => new(Id, Revision, ToOrderItems(), LeadTime, now);

    private CartQuoteRequested Changed(DateTimeOffset now, TimeSpan lifetime)
    {
        Revision++;
        UpdatedAt = now;
        ExpiresAt = now + lifetime;
        ConcurrencyStamp++;
        return RequestQuote(now);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One model in a cart, with the buyer's choices and its last price (null until Pricing answered).</summary>
public sealed record CartItem(
    Guid ItemId,
    string ModelSha256,
    string FileName,
    long SizeBytes,
    string Material,
    string? Colour,
    string Quality,
    int Quantity,
    CartItemQuote? Price);

/// <summary>A cart's last price as a whole.</summary>
/// <param name="Total">The sum of the priced items and <paramref name="OrderLines"/>; null when nothing could be priced.</param>
public sealed record CartPricing(string Currency, decimal? Total, IReadOnlyList<QuoteLine> OrderLines, PriceCatalogue Catalogue, DateTimeOffset QuotedAt);

/// <summary>A change the cart's rules refuse; <see cref="Code"/> is one of <see cref="CartErrors"/>.</summary>
public sealed class CartRuleException(string code) : Exception(code)
{
    public string Code { get; } = code;
}
