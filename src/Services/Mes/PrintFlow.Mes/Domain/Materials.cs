namespace PrintFlow.Mes.Domain;

/// <summary>The materials the floor prints, and the printer technology each one needs.</summary>
public static class Materials
{
    public const string Pla = "PLA";
    public const string Petg = "PETG";
    public const string Abs = "ABS";
    public const string Resin = "Resin";

    public static readonly IReadOnlyList<string> All = [Pla, Petg, Abs, Resin];

    /// <summary>Filament printers (FDM) run PLA, PETG and ABS; resin printers (SLA) run resin.</summary>
    public static string TechnologyOf(string material) => material == Resin ? "SLA" : "FDM";

    /// <summary>The known spelling of <paramref name="material"/>, or null when the floor does not print it.</summary>
    public static string? Normalize(string? material) =>
        All.FirstOrDefault(m => string.Equals(m, material?.Trim(), StringComparison.OrdinalIgnoreCase));
}
