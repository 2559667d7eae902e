using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.ServiceDefaults;

/// <summary>Marker of the strings every service shares (Resources/SharedStrings.resx): statuses, problem titles, the language switch.</summary>
public sealed class SharedStrings;
