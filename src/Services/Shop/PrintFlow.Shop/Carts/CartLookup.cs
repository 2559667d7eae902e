using Microsoft.EntityFrameworkCore;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Carts;

internal static class CartLookup
{
    /// <summary>The cart behind <paramref name="token"/>, whether expired or not; null for a token that is malformed or unknown.</summary>
    public static async Task<Cart?> FindAsync(ShopDbContext db, string? token, bool tracked, CancellationToken cancellationToken)
    {
        if (!Cart.LooksLikeToken(token))
        {
            return null;
        }

        var hash = Cart.HashOf(token!);
        var carts = tracked ? db.Carts : db.Carts.AsNoTracking();
        return await carts.SingleOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
    }

    public static string Holder(Guid cartId) => $"cart-{cartId:N}";
}
