using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace PrintFlow.ServiceDefaults;

/// <summary>
/// The feature flags of risky features, switched per environment in the <c>FeatureManagement</c> configuration section
/// (<c>FeatureManagement__ExactPricing=false</c> as an environment variable) without a rebuild; docs/architecture.md
/// lists them. Code asks <see cref="IFeatureManager.IsEnabledAsync(string)"/> with these names, never a literal.
/// </summary>
public static class FeatureFlags
{
    public const string Section = "FeatureManagement";

    /// <summary>
    /// Pricing slices FDM parts with PrusaSlicer after the estimate and sends the exact quote (decision 0008). On by
    /// default wherever PrusaSlicer (and util-linux's prlimit) can be found, so buyers rarely confirm an estimate.
    /// </summary>
    public const string ExactPricing = nameof(ExactPricing);

    /// <summary>Partners receive signed webhooks on their orders' status changes.</summary>
    public const string PartnerWebhooks = nameof(PartnerWebhooks);

    /// <summary>The shop shows the instant quote while the customer chooses material, quantity and lead time.</summary>
    public const string ShopInstantQuote = nameof(ShopInstantQuote);

    /// <summary>MES batches small parts on build plates.</summary>
    public const string Plates = nameof(Plates);

    /// <summary>
    /// Each flag's value when no configuration names it. ExactPricing follows the older <c>Pricing:Exact:Enabled</c>
    /// (kept as an alias), so existing settings go on working; without it, whether the slicer is installed.
    /// </summary>
    public static IReadOnlyDictionary<string, bool> Defaults(IConfiguration configuration) => new Dictionary<string, bool>
    {
        [ExactPricing] = configuration.GetValue<bool?>("Pricing:Exact:Enabled")
            ?? (IsInstalled(configuration["Pricing:ExactSlicer:ExecutablePath"] ?? "prusa-slicer")
                && IsInstalled(configuration["Pricing:ExactSlicer:PrlimitPath"] ?? "prlimit")),
        [PartnerWebhooks] = true,
        [ShopInstantQuote] = true,
        [Plates] = true,
    };

    /// <summary>Whether <paramref name="executable"/> (a path, or a name looked up on PATH) is a file that exists.</summary>
    public static bool IsInstalled(string executable)
    {
        if (string.IsNullOrWhiteSpace(executable)) return false;
        if (executable.Contains(Path.DirectorySeparatorChar) || executable.Contains('/')) return File.Exists(executable);
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, executable)));
    }

    /// <summary>Registers feature management with <see cref="Defaults"/> beneath every other configuration source.</summary>
    public static void AddFeatureFlags(IServiceCollection services, IConfigurationManager configuration)
    {
        var defaults = Defaults(configuration).ToDictionary(f => $"{Section}:{f.Key}", f => (string?)(f.Value ? "true" : "false"));
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        services.AddFeatureManagement();
    }
}
