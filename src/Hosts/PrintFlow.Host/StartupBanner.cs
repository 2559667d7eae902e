using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Host;

/// <summary>Tells the person who just started PrintFlow where to go and, in Development, how to sign in.</summary>
public sealed class StartupBanner(
    IServer server,
    IHostApplicationLifetime lifetime,
    IHostEnvironment environment,
    DemoAccounts demoAccounts,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var baseUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:8080";
        var lines = new List<string>
        {
            $"PrintFlow is running ({environment.EnvironmentName}).",
            $"  Shop (customers)      {baseUrl}/",
            $"  MES (operators)       {baseUrl}/mes",
            $"  CRM (sales managers)  {baseUrl}/crm",
            $"  Operations            {baseUrl}/ops",
            $"  Partner API v1        {baseUrl}/api/partners/v1  (header X-Api-Key)",
            $"  Readiness             {baseUrl}/health/ready",
        };
        if (environment.IsDevelopment())
        {
            lines.Add("Demo accounts (Development only):");
            lines.AddRange(demoAccounts.All.Select(a => $"  {a.Role,-12} {a.Login,-32} {a.Secret,-40} {a.Where}"));
        }

        var banner = string.Join(Environment.NewLine, lines);
        Console.Out.WriteLine(banner);
        logger.LogInformation("PrintFlow started at {BaseUrl} with {DemoAccountCount} demo accounts", baseUrl, demoAccounts.All.Count);
    }
}
