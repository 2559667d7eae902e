using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Accounts;

/// <summary>In Development, creates the demo operators and supervisor (once) and lists them for the banner; elsewhere they cannot sign in.</summary>
public sealed class DemoStaffSeeder(
    IServiceScopeFactory scopes, IHostEnvironment environment, DemoAccounts demoAccounts) : IHostedService
{
    public const string Password = "demo-password";

    /// <summary>Olivia runs the filament (FDM) printers, Oscar the resin printer and PLA, Sam everything.</summary>
    public static readonly (string Email, string Name, string Role, string[] Skills)[] Staff =
    [
        ("operator@printflow.local", "Olivia Operator", Roles.Operator, [Materials.Pla, Materials.Petg, Materials.Abs]),
        ("operator2@printflow.local", "Oscar Operator", Roles.Operator, [Materials.Resin, Materials.Pla]),
        ("supervisor@printflow.local", "Sam Supervisor", Roles.Supervisor, [.. Materials.All]),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MesDbContext>();
        if (!environment.IsDevelopment())
        {
            // Its password is published in this repository: a database first used in Development keeps the accounts, not the password.
            var emails = Staff.Select(s => s.Email).ToArray();
            await db.Accounts.Where(a => emails.Contains(a.Email)).ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, ""), cancellationToken);
            return;
        }

        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<MesAccount>>();
        foreach (var (email, name, role, skills) in Staff)
        {
            if (!await db.Accounts.AnyAsync(a => a.Email == email, cancellationToken))
            {
                var account = new MesAccount(Guid.CreateVersion7(), email, name, role, "");
                db.Accounts.Add(new MesAccount(account.Id, email, name, role, hasher.HashPassword(account, Password), skills));
            }

            demoAccounts.Add(new DemoAccount(role, email, Password, "/mes"));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
