namespace PrintFlow.Shop;

/// <summary>Marker of the Shop's texts (Resources/ShopStrings.resx, English; ShopStrings.ru.resx, Russian) for <c>IStringLocalizer&lt;ShopStrings&gt;</c>.</summary>
public sealed class ShopStrings
{
}
