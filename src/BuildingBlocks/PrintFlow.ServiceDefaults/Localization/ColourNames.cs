using System.Globalization;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>
/// A colour of the price list or a printer's spool in the reader's language. The price list names colours in English
/// (they are its keys: orders and spools match on them); the resources know the usual ones, any other shows as written.
/// </summary>
public static class ColourNames
{
    /// <param name="language">The reader's culture (an email's); the request's when null.</param>
    public static string Of(string name, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Texts.Find<SharedStrings>(language ?? CultureInfo.CurrentUICulture, $"Colour.{name.Trim()}") ?? name;
    }
}
