using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Ordering;

/// <summary>Marker of Ordering's strings (Resources/OrderingStrings.resx, English; OrderingStrings.ru.resx, Russian): the /ops pages.</summary>
public sealed class OrderingStrings;
