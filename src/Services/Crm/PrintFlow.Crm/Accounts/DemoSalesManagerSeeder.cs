using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;

namespace PrintFlow.Crm.Accounts;

/// <summary>In Development, a sales manager to try the CRM with; elsewhere it cannot sign in. Registered after the database initializer.</summary>
internal sealed class DemoSalesManagerSeeder(
    IServiceScopeFactory scopes, IHostEnvironment environment, DemoAccounts demoAccounts, TimeProvider clock) : IHostedService
{
    public const string Email = "sales@printflow.local";
    public const string Password = "demo-password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        if (!environment.IsDevelopment())
        {
            // Its password is published in this repository: a database first used in Development keeps the account, not the password.
            await db.SalesManagers.Where(m => m.Email == Email).ExecuteUpdateAsync(s => s.SetProperty(m => m.PasswordHash, ""), cancellationToken);
            return;
        }

        await DemoSeed.SeedOnceAsync(db, ct => db.SalesManagers.AnyAsync(m => m.Email == Email, ct), () =>
        {
            var manager = SalesManager.Create(Email, "Demo Sales Manager", clock.GetUtcNow());
            manager.SetPasswordHash(scope.ServiceProvider.GetRequiredService<IPasswordHasher<SalesManager>>().HashPassword(manager, Password));
            db.SalesManagers.Add(manager);
        }, cancellationToken);

        demoAccounts.Add(new DemoAccount(Roles.Sales, Email, Password, "/crm"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
