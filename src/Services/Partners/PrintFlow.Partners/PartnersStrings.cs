using Microsoft.Extensions.Localization;
using PrintFlow.ServiceDefaults.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Partners;

/// <summary>
/// Marker of the Partner API's strings (Resources/PartnersStrings.resx, English; PartnersStrings.ru.resx, Russian):
/// the <c>detail</c> of its problems, in the language of the request's Accept-Language (the <c>code</c> stays English).
/// </summary>
public sealed class PartnersStrings
{
    private PartnersStrings()
    {
    }

    internal static string Get(string key, params object?[] arguments) => Texts.Get<PartnersStrings>(key, arguments);
}
