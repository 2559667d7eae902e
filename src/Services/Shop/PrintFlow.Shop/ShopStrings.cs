using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Shop;

/// <summary>Marker of the Shop's strings (Resources/ShopStrings.resx, English; ShopStrings.ru.resx, Russian).</summary>
public sealed class ShopStrings;
