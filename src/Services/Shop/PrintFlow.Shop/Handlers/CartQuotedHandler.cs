using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.Shop.Data;

namespace PrintFlow.Shop.Handlers;

/// <summary>Puts Pricing's answer on the cart it was asked for, unless the cart changed since (a newer price is coming) or is gone.</summary>
internal sealed class CartQuotedHandler(ShopDbContext db, LiveFeed feed) : IIntegrationEventHandler<CartQuoted>
{
    public async Task HandleAsync(CartQuoted message, MessageContext context, CancellationToken cancellationToken)
    {
        var cart = await db.Carts.FindAsync([message.OrderId], cancellationToken);
        if (cart is not null && cart.Apply(message))
        {
            db.AfterCommit(() => feed.Notify(ShopTopics.Cart(cart.Id)));
        }
    }
}
