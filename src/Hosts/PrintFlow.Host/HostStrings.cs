using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Host;

/// <summary>Marker of the host's strings (Resources/HostStrings.resx): the shared layout, navigation and sign-in page.</summary>
public sealed class HostStrings;
