using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.ModelStorage;
using PrintFlow.Shop.Data;

namespace PrintFlow.Shop.Carts;

/// <summary>Removes expired carts and releases their models, so an abandoned quote does not keep files for ever.</summary>
internal sealed class CartSweeper(IServiceScopeFactory scopes, IOptions<ShopOptions> options, TimeProvider clock, ILogger<CartSweeper> logger)
    : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogWarning(failure, "Sweeping expired carts failed; trying again in {Interval}", options.Value.CartSweepInterval);
            }

            await Task.Delay(options.Value.CartSweepInterval, clock, stoppingToken);
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<IModelStore>();
            var now = clock.GetUtcNow();
            var expired = await db.Carts.Where(c => c.ExpiresAt <= now).OrderBy(c => c.ExpiresAt).Take(Batch).ToListAsync(cancellationToken);
            if (expired.Count == 0)
            {
                return removed;
            }

            db.Carts.RemoveRange(expired);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return removed; // another instance swept (or a buyer changed a cart) meanwhile: the next round sees the rest
            }

            // Holds go after the rows: a failure here leaves a model held too long, never a cart without its model.
            foreach (var cart in expired)
            {
                foreach (var sha256 in cart.Items.Select(i => i.ModelSha256).Distinct(StringComparer.Ordinal))
                {
                    await store.ReleaseAsync(sha256, CartLookup.Holder(cart.Id), cancellationToken);
                }
            }

            removed += expired.Count;
        }
    }
}
