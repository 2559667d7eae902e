using PrintFlow.Contracts;

namespace PrintFlow.Mes.Data;

/// <summary>How many jobs are in one stage, kept with the jobs by <see cref="MesDbContext"/>.</summary>
public sealed class StageCount
{
    public OrderStatus Stage { get; set; }
    public long Count { get; set; }
}
