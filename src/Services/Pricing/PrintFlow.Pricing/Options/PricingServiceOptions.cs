namespace PrintFlow.Pricing.Options;

/// <summary>
/// How the Pricing service schedules its work, bound from the "Pricing" section next to the price list
/// (docs/pricing-service.md). The price list itself is <see cref="PrintFlow.Pricing.Core.PricingOptions"/>.
/// </summary>
public sealed class PricingServiceOptions
{
    public const string SectionName = "Pricing";

    /// <summary>Model analyses running at once in this process; analysis is CPU-bound, so one per core.</summary>
    public int MaxConcurrentAnalyses { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Files up to this size are "small": they jump the queue of large ones and may use the slot large ones are
    /// never given, so a heavy model never holds up a light one for longer than the light one's own analysis.
    /// 8 MiB is a binary STL of ~170,000 triangles, analysed in a few milliseconds.
    /// </summary>
    public long SmallModelBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// The longest one model's analysis (reading and measuring, not the wait for a slot) may take; past it the model is
    /// refused as too complex (<c>model.too-complex</c>) and its slot freed, so no upload can hold a slot for ever.
    /// The largest model a reader accepts takes a few seconds on one core.
    /// </summary>
    public TimeSpan AnalysisTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public ExactModeOptions Exact { get; set; } = new();

    /// <summary>Every problem as a sentence; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConcurrentAnalyses is < 1 or > 256)
            errors.Add($"Pricing:MaxConcurrentAnalyses must be between 1 and 256, not {MaxConcurrentAnalyses}.");
        if (SmallModelBytes < 0)
            errors.Add($"Pricing:SmallModelBytes must not be negative, not {SmallModelBytes}.");
        if (AnalysisTimeout <= TimeSpan.Zero || AnalysisTimeout > TimeSpan.FromHours(1))
            errors.Add($"Pricing:AnalysisTimeout must be positive and at most 01:00:00, not {AnalysisTimeout}.");
        if (Exact.MaxConcurrent is < 0 or > 64)
            errors.Add($"Pricing:Exact:MaxConcurrent must be between 0 and 64, not {Exact.MaxConcurrent}.");
        if (Exact.PollInterval <= TimeSpan.Zero)
            errors.Add("Pricing:Exact:PollInterval must be positive.");
        if (Exact.MaxAttempts < 1)
            errors.Add($"Pricing:Exact:MaxAttempts must be at least 1, not {Exact.MaxAttempts}.");
        if (Exact.RefiningDeadline < TimeSpan.FromSeconds(1) || Exact.RefiningDeadline > TimeSpan.FromHours(1))
            errors.Add($"Pricing:Exact:RefiningDeadline must be between 00:00:01 and 01:00:00, not {Exact.RefiningDeadline}.");
        return errors;
    }
}

/// <summary>
/// Exact mode: after the instant estimate, slice FDM parts with PrusaSlicer and send the exact quote
/// (<c>QuoteRefined</c>), while the ExactPricing feature flag is on: by default wherever PrusaSlicer is installed
/// (<see cref="ServiceDefaults.FeatureFlags"/>).
/// </summary>
public sealed class ExactModeOptions
{
    /// <summary>
    /// The older switch, kept as an alias: it sets the ExactPricing feature flag's default, which
    /// <c>FeatureManagement:ExactPricing</c> overrides (<see cref="ServiceDefaults.FeatureFlags"/>); not set, whether the
    /// slicer is installed decides.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Slices this process runs at once. 0 records jobs but leaves them to other instances (e.g. web nodes that
    /// only quote, with dedicated slicer workers).
    /// </summary>
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>How often idle workers look for jobs committed by other instances or left by a stopped one.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Claims of one job (a worker that dies mid-slice loses its claim when the lease runs out) before it is given up.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How long after the estimate the exact quote may still replace it. Until then the channels say "price being
    /// refined"; a slice that has not finished by then is stopped and the estimate stands, so a price never changes
    /// under a buyer who was told it was final. Most parts slice in seconds; a backlog must not keep buyers waiting.
    /// </summary>
    public TimeSpan RefiningDeadline { get; set; } = TimeSpan.FromMinutes(2);
}
