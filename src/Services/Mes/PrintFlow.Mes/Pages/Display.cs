using System.Globalization;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Pages;

/// <summary>How the floor pages write things.</summary>
public static class Display
{
    public static IReadOnlyList<string> Materials => Domain.Materials.All;

    public static string Channel(SalesChannel channel) => channel == SalesChannel.Shop ? "B2C" : "B2B";

    public static string Stage(OrderStatus stage) => OrderStatusWords.ForOperator(stage);

    public static string Date(DateTimeOffset? at) => at is { } value ? Formats.Date(value) : "—";

    public static string Time(DateTimeOffset at) => Formats.Utc(at);

    public static string Duration(TimeSpan span) => span.TotalMinutes < 1
        ? $"{span.TotalSeconds.ToString("0", CultureInfo.CurrentCulture)} s"
        : span.TotalHours < 1 ? $"{span.TotalMinutes.ToString("0", CultureInfo.CurrentCulture)} min" : $"{span.TotalHours.ToString("0.0", CultureInfo.CurrentCulture)} h";

    public static string Money(decimal amount, string currency) => Formats.Money(amount, currency);

    /// <summary>
    /// Why a printer is in trouble, in the reader's language: the sentence for its code, with the printer's own words
    /// where they are the printer's (an error it reports, a refused upload) rather than ours.
    /// </summary>
    public static string PrinterProblem(string? code, string? message, string? reason = null, string? arguments = null)
    {
        if (code == Printers.PrinterErrorCodes.NotSliced)
        {
            return Printers.SlicerText.Of(reason, arguments, message);
        }

        if (code is null || Texts.Find<MesStrings>($"Printer.Problem.{code}") is not { } sentence)
        {
            return message ?? code ?? "";
        }

        return message is { Length: > 0 } && code is Printers.PrinterErrorCodes.PrinterError or Printers.PrinterErrorCodes.UploadRefused
            ? $"{sentence} {Texts.Get<MesStrings>("Printer.ProblemDetail", message)}"
            : sentence;
    }

    /// <summary>The carrier's name in the reader's language.</summary>
    public static string Carrier(Shipping.Carrier carrier) => PrintFlowLocalization.Language == "ru" ? carrier.NameRu : carrier.NameEn;
}
