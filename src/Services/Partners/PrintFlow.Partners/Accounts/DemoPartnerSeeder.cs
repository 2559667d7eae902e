using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;

namespace PrintFlow.Partners.Accounts;

/// <summary>
/// Development only: a demo partner with a fixed key, so the docs' curl examples and tests work as written, and a
/// load-test partner whose quotes confirm themselves and whose rate is not limited. In any other environment the
/// fixed keys are revoked, in case the database was first used in Development: they are published in this repository.
/// </summary>
internal sealed class DemoPartnerSeeder(IServiceScopeFactory scopes, IHostEnvironment environment, DemoAccounts demoAccounts) : IHostedService
{
    public const string Name = "Demo Partner Ltd";
    public const string Email = "api@demo-partner.example";
    public const string ApiKey = "pfk_demo_0123456789abcdef";
    public static readonly Guid PartnerId = new("0193a6f0-0000-7000-8000-00000000d3e0");

    public const string LoadName = "Load Test Partner";
    public const string LoadEmail = "api@load-test.example";
    public const string LoadApiKey = "pfk_load_0123456789abcdef";
    public const decimal LoadAutoConfirmBelow = 1_000_000m;
    public static readonly Guid LoadPartnerId = new("0193a6f0-0000-7000-8000-00000000d3e1");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<PartnerAccounts>();
        if (!environment.IsDevelopment())
        {
            await accounts.RevokeKeyAsync(ApiKey, cancellationToken);
            await accounts.RevokeKeyAsync(LoadApiKey, cancellationToken);
            return;
        }

        await accounts.EnsureAsync(PartnerId, Name, Email, ApiKey, autoConfirmBelow: null, requestsPerMinute: null, cancellationToken);
        await accounts.EnsureAsync(LoadPartnerId, LoadName, LoadEmail, LoadApiKey, LoadAutoConfirmBelow, requestsPerMinute: 1_000_000, cancellationToken);
        demoAccounts.Add(new DemoAccount(PartnersModule.PartnerRole, Name, ApiKey, $"{PartnersModule.BasePath}  (X-Api-Key)"));
        demoAccounts.Add(new DemoAccount(PartnersModule.PartnerRole, LoadName, LoadApiKey, "auto-confirms quotes, no rate limit"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
