using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Accounts;

/// <summary>In Development, a customer to try the shop with; elsewhere it cannot sign in. Registered after the database initializer, so it runs after it.</summary>
internal sealed class DemoCustomerSeeder(
    IServiceScopeFactory scopes, IHostEnvironment environment, DemoAccounts demoAccounts, TimeProvider clock) : IHostedService
{
    public const string Email = "customer@printflow.local";
    public const string Password = "demo-password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        if (!environment.IsDevelopment())
        {
            // Its password is published in this repository: a database first used in Development keeps the account, not the password.
            await db.Customers.Where(c => c.Email == Email).ExecuteUpdateAsync(s => s.SetProperty(c => c.PasswordHash, ""), cancellationToken);
            return;
        }

        await DemoSeed.SeedOnceAsync(db, ct => db.Customers.AnyAsync(c => c.Email == Email, ct), () =>
        {
            var customer = Customer.Register(Email, "Anna Smirnova", clock.GetUtcNow());
            customer.VerifyEmail(clock.GetUtcNow()); // a demo address receives no mail
            CustomerPasswords.Set(scope.ServiceProvider.GetRequiredService<IPasswordHasher<Customer>>(), customer, Password);
            db.Customers.Add(customer);
        }, cancellationToken);

        demoAccounts.Add(new DemoAccount(Roles.Customer, Email, Password, "/"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
