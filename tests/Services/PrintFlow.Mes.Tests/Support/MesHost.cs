using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Work;
using PrintFlow.Messaging;
using Microsoft.AspNetCore.Mvc.Testing;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>What the MES tests do to the embedded host: feed it messages and look at what MES holds and published.</summary>
public static class MesHost
{
    public static async Task<Guid> DispatchAsync(this WebApplicationFactory<Program> host, IIntegrationEvent message, Guid? messageId = null)
    {
        var endpoint = host.Services.GetRequiredService<IEnumerable<IMessageEndpoint>>().Single(e => e.Name == "mes");
        var id = messageId ?? Guid.NewGuid();
        await endpoint.DispatchAsync(
            new MessageEnvelope(id, MessageTypes.NameOf(message.GetType()), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null),
            CancellationToken.None);
        return id;
    }

    public static async Task<T> InScopeAsync<T>(this WebApplicationFactory<Program> host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>The person takes the job and makes each step in turn; the take and every step must succeed.</summary>
    public static Task TakeAndStepAsync(this WebApplicationFactory<Program> host, Guid jobId, Guid accountId, params JobAction[] steps) =>
        host.InScopeAsync(async sp =>
        {
            var work = sp.GetRequiredService<FloorWork>();
            var taken = await work.TakeAsync(jobId, accountId, CancellationToken.None);
            Assert.True(taken.Succeeded, taken.Message);
            foreach (var step in steps)
            {
                var outcome = await work.ApplyAsync(jobId, step, accountId, null, new PrintFlow.Mes.Shipping.ShippingForm("cdek", "1234567890"), CancellationToken.None);
                Assert.True(outcome.Succeeded, outcome.Message);
            }

            return true;
        });

    public static Task<T> WithDbAsync<T>(this WebApplicationFactory<Program> host, Func<MesDbContext, Task<T>> query) =>
        host.InScopeAsync(sp => query(sp.GetRequiredService<MesDbContext>()));

    public static Task<List<ManufacturingJob>> JobsOfOrderAsync(this WebApplicationFactory<Program> host, Guid orderId) =>
        host.WithDbAsync(db => db.Jobs.AsNoTracking().Include(j => j.History).Where(j => j.OrderId == orderId).ToListAsync());

    public static Task<ManufacturingJob> JobAsync(this WebApplicationFactory<Program> host, Guid orderId) =>
        host.WithDbAsync(db => db.Jobs.AsNoTracking().Include(j => j.History).Include(j => j.Items).SingleAsync(j => j.OrderId == orderId));

    /// <summary>What MES published for an order, in the order it was written.</summary>
    public static Task<List<ManufacturingProgressed>> PublishedAsync(this WebApplicationFactory<Program> host, Guid orderId) =>
        host.WithDbAsync(async db => (await db.Outbox.AsNoTracking()
                .Where(m => m.CorrelationId == orderId && m.Name == MessageTypes.NameOf<ManufacturingProgressed>())
                .OrderBy(m => m.Id)
                .ToListAsync())
            .Select(m => (ManufacturingProgressed)MessageSerializer.Deserialize(m.ToEnvelope()))
            .ToList());

    public static Task<Guid> AccountIdAsync(this WebApplicationFactory<Program> host, string email) =>
        host.WithDbAsync(db => db.Accounts.Where(a => a.Email == email).Select(a => a.Id).SingleAsync());

    /// <summary>Waits until the Development demo staff exist (they are seeded at start-up).</summary>
    public static async Task ReadyAsync(this WebApplicationFactory<Program> host)
    {
        _ = host.Services;
        await Eventually.UntilAsync(
            () => host.WithDbAsync(db => db.Accounts.CountAsync()), count => count >= 3, "the demo staff are seeded");
    }
}
