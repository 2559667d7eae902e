namespace PrintFlow.Shop.Domain;

/// <summary>Why a cart change or checkout was refused: stable codes the pages turn into sentences (ShopStrings "Error.{code}").</summary>
public static class CartErrors
{
    public const string TooManyItems = "cart.too-many-items";
    public const string BadQuantity = "cart.bad-quantity";
    public const string NoSuchItem = "cart.no-such-item";
    public const string UnknownMaterial = "cart.unknown-material";
    public const string UnknownQuality = "cart.unknown-quality";
    public const string UnknownLeadTime = "cart.unknown-lead-time";
    public const string NotPriced = "cart.not-priced";
    public const string NotOrderable = "cart.not-orderable";
    public const string ModelGone = "cart.model-gone";
    public const string Changed = "cart.changed";
    public const string EmailNotVerified = "cart.email-not-verified";

    public static readonly string[] Qualities = ["Draft", "Standard", "Fine"];
}
