using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Shop.Endpoints;

/// <summary>Why an upload was refused: a stable code (carried back to the page) and the sentence the page shows.</summary>
public static class UploadErrors
{
    public const string MissingFile = "upload.missing-file";
    public const string EmptyFile = "upload.empty-file";
    public const string WrongExtension = "upload.wrong-extension";
    public const string TooLarge = "upload.too-large";
    public const string BadQuantity = "upload.bad-quantity";
    public const string UnknownMaterial = "upload.unknown-material";
    public const string UnknownLeadTime = "upload.unknown-lead-time";
    public const string NotMultipart = "upload.not-multipart";
    public const string TooManyFields = "upload.too-many-fields";
    public const string QuotaExceeded = UploadQuotas.ExceededCode;

    public static readonly string[] Materials = ["PLA", "PETG", "ABS", "Resin"];
    public static readonly string[] Extensions = [".stl", ".obj", ".3mf"];
    public const int MaxQuantity = 1000;

    public static string SentenceFor(string code, long maxModelBytes) => code switch
    {
        MissingFile or EmptyFile or WrongExtension or UnknownLeadTime or NotMultipart or TooManyFields => Texts.Get<ShopStrings>($"Upload.{code}"),
        TooLarge => Texts.Get<ShopStrings>($"Upload.{code}", FormatSize(maxModelBytes)),
        BadQuantity => Texts.Get<ShopStrings>($"Upload.{code}", MaxQuantity),
        UnknownMaterial => Texts.Get<ShopStrings>($"Upload.{code}", string.Join(", ", Materials.Select(m => Texts.Get<ShopStrings>($"Material.{m}")))),
        _ => Texts.Get<ShopStrings>("Upload.Other"),
    };

    /// <summary>The quota's limit and when it resets (the upload sends the time back in the page address).</summary>
    public static string QuotaSentence(ShopOptions options, long? resetsAtUnixSeconds) =>
        UploadQuotas.Sentence(options.UploadBytesPerDay, options.UploadModelsPerDay,
            DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(resetsAtUnixSeconds ?? 0, 0, 253402300799)));

    private static string FormatSize(long bytes) => UploadSizes.Format(bytes);
}
