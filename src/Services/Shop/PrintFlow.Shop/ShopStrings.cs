namespace PrintFlow.Shop;

/// <summary>Marker for the Shop's texts (Resources/ShopStrings*.resx), used as <c>IStringLocalizer&lt;ShopStrings&gt;</c>.</summary>
public sealed class ShopStrings;
