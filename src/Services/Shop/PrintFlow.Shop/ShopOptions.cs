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
}
