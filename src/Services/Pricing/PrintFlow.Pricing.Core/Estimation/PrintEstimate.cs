namespace PrintFlow.Pricing.Core;

/// <summary>What one part costs the factory in material and machine time.</summary>
/// <param name="MaterialGrams">Material consumed, supports and purge included.</param>
/// <param name="PrintHours">Print time as a slicer reports it (comparable with PrusaSlicer's estimate).</param>
/// <param name="MachineHours">Billed machine time: print time plus heat-up.</param>
/// <param name="SupportVolumeCm3">Printed support material the operator removes by hand, per part.</param>
/// <param name="Mode">"estimate" (geometric model) or "exact" (sliced with PrusaSlicer).</param>
public sealed record PrintEstimate(
    double MaterialGrams,
    double PrintHours,
    double MachineHours,
    double SupportVolumeCm3,
    int Layers,
    string Mode)
{
    public const string EstimateMode = "estimate";
    public const string ExactMode = "exact";
}
