using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Mes;

public sealed class MesOptions
{
    public const string Section = "Mes";

    /// <summary>How many jobs one person may hold in progress (taken, not yet packed).</summary>
    [Range(1, 100)]
    public int WipLimit { get; set; } = 3;

    /// <summary>Rows per page of the work queue.</summary>
    [Range(5, 200)]
    public int PageSize { get; set; } = 25;
}

/// <summary>The live-feed topics MES notifies.</summary>
public static class MesTopics
{
    public const string Queue = "mes:queue";
}
