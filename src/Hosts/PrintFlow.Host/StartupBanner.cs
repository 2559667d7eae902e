using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PrintFlow.Accounts;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Host;

/// <summary>Tells the person who just started PrintFlow where to go and, in Development, how to sign in (the console in
/// the simple format only: JSON logs get one line saying where it runs).</summary>
public sealed class StartupBanner(
    IServer server,
    IHostApplicationLifetime lifetime,
    IHostEnvironment environment,
    DemoAccounts demoAccounts,
    ServiceSelection services,
    IConfiguration configuration,
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
        // A process of the distributed deployment lists only what it serves itself.
        var lines = new List<string> { $"PrintFlow is running ({environment.EnvironmentName}): {string.Join(", ", services.Names)}." };
        var entries = new (string Service, string Line)[]
        {
            ("shop", $"  Shop (customers)      {baseUrl}/"),
            ("mes", $"  MES (operators)       {baseUrl}/mes"),
            ("crm", $"  CRM (sales managers)  {baseUrl}/crm"),
            ("ordering", $"  Operations            {baseUrl}/ops"),
            ("partners", $"  Partner API v1        {baseUrl}/api/partners/v1  (header X-Api-Key)"),
            ("notifications", environment.IsDevelopment() ? $"  Emails sent           {baseUrl}/dev/notifications" : ""),
        };
        lines.AddRange(entries.Where(e => services.Runs(e.Service) && e.Line.Length > 0).Select(e => e.Line));
        lines.Add($"  Readiness             {baseUrl}/health/ready");
        lines.Add($"  Metrics               {baseUrl}/metrics");
        if (environment.IsDevelopment())
        {
            lines.Add("Demo accounts (Development only):");
            lines.AddRange(demoAccounts.All.Select(a => $"  {a.Role,-12} {a.Login,-32} {a.Secret,-40} {a.Where}"));
        }

        lines.Add("Press Ctrl+C to stop.");
        // JSON logs are read by a collector, which wants one JSON object per line: the log line below says it there.
        if (ServiceDefaultsExtensions.LogFormat(configuration, environment) == "simple")
        {
            Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        }

        logger.LogInformation("PrintFlow started at {BaseUrl} with {DemoAccountCount} demo accounts", baseUrl, demoAccounts.All.Count);
    }
}
