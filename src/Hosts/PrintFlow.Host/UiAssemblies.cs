using System.Reflection;

namespace PrintFlow.Host;

/// <summary>The service assemblies whose Razor pages this host serves.</summary>
public static class UiAssemblies
{
    public static readonly Assembly[] All =
    [
        typeof(PrintFlow.Shop.ShopModule).Assembly,
        typeof(PrintFlow.Mes.MesModule).Assembly,
        typeof(PrintFlow.Crm.CrmModule).Assembly,
        typeof(PrintFlow.Ordering.OrderingModule).Assembly,
    ];
}
