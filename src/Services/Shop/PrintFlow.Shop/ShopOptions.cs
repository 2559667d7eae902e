using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Shop;

public sealed class ShopOptions
{
    public const string Section = "Shop";

    /// <summary>Bytes of models one customer may upload in any 24 hours.</summary>
    [Range(1, long.MaxValue)]
    public long UploadBytesPerDay { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Model files one customer may upload in any 24 hours.</summary>
    [Range(1, 1_000_000)]
    public int UploadModelsPerDay { get; set; } = 200;

    /// <summary>The build volume (x, y, z in mm) the 3D preview draws around a part: the Shop's default printer's.</summary>
    [MinLength(3), MaxLength(3)]
    public double[] PreviewBuildVolumeMm { get; set; } = [250, 210, 210];

    /// <summary>How long an instant quote (cart) is kept after its last change; then its models are released.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan CartLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired carts are removed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CartSweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
