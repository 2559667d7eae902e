using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Mes;

/// <summary>Marker of MES's strings (Resources/MesStrings.resx, English; MesStrings.ru.resx, Russian).</summary>
public sealed class MesStrings;
