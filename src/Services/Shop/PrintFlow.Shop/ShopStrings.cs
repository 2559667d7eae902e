namespace PrintFlow.Shop;

/// <summary>The Shop's page sentences: Resources/ShopStrings.resx (English) and ShopStrings.ru.resx (Russian), read through IStringLocalizer&lt;ShopStrings&gt;.</summary>
public sealed class ShopStrings;
