using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Crm;

/// <summary>Marker of the CRM's strings (Resources/CrmStrings.resx, English; CrmStrings.ru.resx, Russian).</summary>
public sealed class CrmStrings;
