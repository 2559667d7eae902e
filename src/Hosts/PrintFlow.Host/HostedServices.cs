using System.Reflection;
using PrintFlow.Crm;
using PrintFlow.Mes;
using PrintFlow.Notifications;
using PrintFlow.Ordering;
using PrintFlow.Partners;
using PrintFlow.Pricing;
using PrintFlow.Shop;

namespace PrintFlow.Host;

/// <summary>
/// The services one process runs, from <c>PrintFlow:Services</c> (a comma-separated list, default all of them).
/// The embedded host runs all seven in one process; <c>deploy/local/up.sh</c> starts one process per service
/// (several of some) from this same executable, each with its own database and the broker between them.
/// </summary>
public sealed record HostedService(
    string Name,
    Action<WebApplicationBuilder> Add,
    Action<WebApplication> Map,
    Assembly? Pages);

public static class HostedServices
{
    public const string ConfigurationKey = "PrintFlow:Services";

    public static readonly IReadOnlyList<HostedService> All =
    [
        new("ordering", b => b.AddOrdering(), a => a.MapOrdering(), typeof(OrderingModule).Assembly),
        new("pricing", b => b.AddPricing(), a => a.MapPricing(), null),
        new("shop", b => b.AddShop(), a => a.MapShop(), typeof(ShopModule).Assembly),
        new("partners", b => b.AddPartners(), a => a.MapPartners(), null),
        new("mes", b => b.AddMes(), a => a.MapMes(), typeof(MesModule).Assembly),
        new("crm", b => b.AddCrm(), a => a.MapCrm(), typeof(CrmModule).Assembly),
        new("notifications", b => b.AddNotifications(), a => a.MapNotifications(), typeof(NotificationsModule).Assembly),
    ];

    /// <summary>The services named in configuration, in a fixed order; an unknown name stops the start with a clear message.</summary>
    public static ServiceSelection Selected(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured) || configured.Trim() == "all")
        {
            return new ServiceSelection(All);
        }

        var names = configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToHashSet();
        var unknown = names.Where(n => All.All(s => s.Name != n)).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} names unknown service(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(s => s.Name))} (or all).");
        }

        return new ServiceSelection([.. All.Where(s => names.Contains(s.Name))]);
    }
}

/// <summary>The services this process runs: what it composes, the Razor pages it serves, and their names.</summary>
public sealed class ServiceSelection(IReadOnlyList<HostedService> services)
{
    public IReadOnlyList<HostedService> Services => services;

    public IReadOnlyList<Assembly> Pages { get; } = [.. services.Select(s => s.Pages).OfType<Assembly>().Distinct()];

    public IEnumerable<string> Names => services.Select(s => s.Name);

    public bool Runs(string name) => services.Any(s => s.Name == name);
}
