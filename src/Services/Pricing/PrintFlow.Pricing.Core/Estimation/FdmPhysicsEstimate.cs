namespace PrintFlow.Pricing.Core;

/// <summary>The FDM physical model's figures before the fitted correction, and the features the correction reads.</summary>
/// <param name="Grams">Material, supports and purge included.</param>
/// <param name="PrintSeconds">Print time as the slicer reports it (start sequence included, heat-up not).</param>
/// <param name="SupportMm3">Printed support volume.</param>
/// <param name="Features">Inputs of <see cref="FdmCorrection"/>, in the order of <see cref="FdmCorrection.FeatureNames"/>.</param>
public sealed record FdmPhysicsEstimate(double Grams, double PrintSeconds, double SupportMm3, int Layers, IReadOnlyList<double> Features);
