using Microsoft.Extensions.Localization;
using PrintFlow.Shop.Accounts;
using Codes = PrintFlow.Shop.Endpoints.CustomerAccountEndpoints.Codes;

namespace PrintFlow.Shop.Pages;

/// <summary>The sentences the account pages show for the codes the account forms send back in the page address.</summary>
internal static class AccountMessages
{
    private static readonly string[] DoneCodes = ["verification-sent", "verified", "password-changed", "address-deleted"];

    private static readonly string[] ErrorCodes =
        [Codes.TokenUnknown, Codes.TokenExpired, Codes.TokenUsed, Codes.WrongPassword, Codes.InvalidEmail];

    public static string? Done(IStringLocalizer l, string? code) =>
        code is not null && DoneCodes.Contains(code) ? l[$"Account.Done.{code}"].Value : null;

    public static string? Error(IStringLocalizer l, string? code, int? minutes = null) => code switch
    {
        null or "" => null,
        Codes.Throttled => l[$"Account.Error.{code}", Math.Max(1, minutes ?? 1)].Value,
        Codes.WeakPassword => l[$"Account.Error.{code}", CustomerPasswords.MinimumLength, CustomerPasswords.MaximumLength].Value,
        _ when ErrorCodes.Contains(code) => l[$"Account.Error.{code}"].Value,
        _ => l["Account.Error.unknown"].Value,
    };
}
