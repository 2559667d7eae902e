using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Accounts;

/// <summary>Development only: a demo partner with a fixed key, so the docs' curl examples and tests work as written.</summary>
internal sealed class DemoPartnerSeeder(IServiceScopeFactory scopes, DemoAccounts demoAccounts) : IHostedService
{
    public const string Name = "Demo Partner Ltd";
    public const string Email = "api@demo-partner.example";
    public const string ApiKey = "pfk_demo_0123456789abcdef";
    public static readonly Guid PartnerId = new("0193a6f0-0000-7000-8000-00000000d3e0");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PartnerAccounts>()
            .EnsureAsync(PartnerId, Name, Email, ApiKey, cancellationToken);
        demoAccounts.Add(new DemoAccount(PartnersModule.PartnerRole, Name, ApiKey, $"{PartnersModule.BasePath}  (X-Api-Key)"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
